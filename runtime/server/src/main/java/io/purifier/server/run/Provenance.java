package io.purifier.server.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.server.osgi.BundleIdentity;
import org.nd4j.linalg.factory.Nd4j;

/** Builds the provenance record of a run: platform, seeds, dataset identity, and per-step plugin identities. */
final class Provenance {

    private final ObjectNode root;

    Provenance(ObjectMapper json, long seed, String user, String serverVersion, String trainerVersion) {
        root = json.createObjectNode();
        root.put("seed", seed);
        root.put("startedBy", user);
        root.put("serverVersion", serverVersion);
        root.put("trainerVersion", trainerVersion);
        ObjectNode platform = root.putObject("platform");
        platform.put("java", System.getProperty("java.version"));
        platform.put("javaVendor", System.getProperty("java.vendor"));
        platform.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        platform.put("arch", System.getProperty("os.arch"));
        platform.put("cpus", Runtime.getRuntime().availableProcessors());
        platform.put("nd4jBackend", Nd4j.getBackend().getClass().getName());
        platform.put("nd4jVersion", implementationVersion(Nd4j.class));
        platform.put("nd4jThreads", Nd4j.getEnvironment().maxThreads());
        root.putArray("steps");
    }

    ObjectNode root() {
        return root;
    }

    void dataset(String id, String hash, int trainSize, int testSize, String shape) {
        ObjectNode d = root.putObject("dataset");
        d.put("id", id);
        d.put("contentHash", hash);
        d.put("trainSize", trainSize);
        d.put("testSize", testSize);
        d.put("shape", shape);
    }

    ObjectNode step(int index, String kind, String componentId, long seed, BundleIdentity bundle) {
        ObjectNode s = ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("steps")).addObject();
        s.put("index", index);
        s.put("kind", kind);
        s.put("id", componentId);
        s.put("seed", seed);
        if (bundle != null) {
            s.put("bundle", bundle.symbolicName());
            s.put("bundleVersion", bundle.version());
            s.put("bundleSha256", bundle.sha256());
        }
        return s;
    }

    private static String implementationVersion(Class<?> type) {
        try (java.io.InputStream in = type.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
