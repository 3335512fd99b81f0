package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.purifier.client.ApiClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A throw-away installation directory for tests: {@code bundles/} with the framework bundles (SCR, its APIs,
 * FileInstall) copied from {@code target/it-bundles}, optionally the sample plugins, an empty {@code deploy/},
 * and a configuration that binds a random port and polls deploy/ every 200 ms.
 */
public final class TestHome {

    /** The out-of-distribution digits the installation ships (IDX files), relative to the installation. */
    public static final String SHIPPED_DIGITS = "conf/datasets/sklearn-digits";

    /** The sample-plugins bundle's file name in target/it-bundles. */
    public static final String SAMPLE_PLUGINS = "purifier-sample-plugins.jar";

    private TestHome() {
    }

    /** The directory Maven copied the test bundles to. */
    public static Path itBundles() {
        String dir = System.getProperty("purifier.itBundles");
        Path path = dir != null ? Path.of(dir) : Path.of("target", "it-bundles");
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("test bundles not found at " + path.toAbsolutePath() + " (run through Maven)");
        }
        return path;
    }

    /** Creates a home under {@code parent}; {@code withSamples} puts the sample plugins among the built-in bundles. */
    public static Path create(Path parent, boolean withSamples) throws IOException {
        return create(parent, withSamples, false);
    }

    /**
     * Creates a home; {@code withBuiltIns} also installs the real built-in plugins the server module tests with
     * (Fashion-MNIST, IDX datasets, BadNets, metric-core, native and ONNX formats, the NPD, WIPER, BCU defenses and the
     * FT, FP, NAD, ANP, NC, CLP, FT-SAM, FST, I-BAU and SAU baselines;
     * {@code target/it-bundles/builtin}).
     */
    public static Path create(Path parent, boolean withSamples, boolean withBuiltIns) throws IOException {
        Path home = Files.createDirectories(parent.resolve("home"));
        Path bundles = Files.createDirectories(home.resolve("bundles"));
        Files.createDirectories(home.resolve("deploy"));
        Files.createDirectories(home.resolve("conf"));
        try (Stream<Path> jars = Files.list(itBundles())) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                if (withSamples || !jar.getFileName().toString().equals(SAMPLE_PLUGINS)) {
                    Files.copy(jar, bundles.resolve(jar.getFileName()));
                }
            }
        }
        if (withBuiltIns) {
            try (Stream<Path> jars = Files.list(itBundles().resolve("builtin"))) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    Files.copy(jar, bundles.resolve(jar.getFileName()));
                }
            }
        }
        Files.writeString(home.resolve("conf/purifier.properties"), String.join("\n", List.of(
                "http.port=0", "http.bind=127.0.0.1", "deploy.pollMillis=200", "runs.threads=1", "runs.queue=20")) + "\n");
        return home;
    }

    /** The admin token the server wrote at its first start into {@code home}'s data directory. */
    public static String adminToken(Path home) throws IOException {
        return Files.readString(home.resolve("data").resolve(PurifierServer.ADMIN_TOKEN_FILE)).trim();
    }

    /**
     * The tiny real pipeline of the in-framework tests: Fashion-MNIST (300 train / 100 test images from the Debian
     * package), a small CNN trained one epoch (batch 32) on BadNets data with 20 % poisoned.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode tinyBadNetsPipeline(
            com.fasterxml.jackson.databind.ObjectMapper json, long seed) {
        var p = json.createObjectNode();
        p.put("seed", seed);
        p.putObject("dataset").put("id", "fashion-mnist").putObject("params").put("trainSize", 300).put("testSize", 100);
        var model = p.putObject("model").put("source", "train");
        model.putObject("architecture").put("id", "small-cnn");
        model.putObject("training").put("epochs", 1).put("batchSize", 32);
        p.putObject("attack").put("id", "badnets").putObject("params").put("poisonRatio", 0.2);
        return p;
    }

    /**
     * The sample-linear text of a classifier for the sample blobs with a planted backdoor: pixel 15 (the
     * bottom-right corner, which the sample-corner attack sets) pushes every image to class 0.
     */
    public static String backdooredSampleModel() {
        StringBuilder out = new StringBuilder("sample-linear 1 4 4 3\n");
        for (int p = 0; p < 16; p++) {
            double[] row = new double[3];
            if (p < 12) {
                row[p / 4] = 1;
            }
            if (p == 15) {
                row[0] = 20;
            }
            out.append(row[0]).append(' ').append(row[1]).append(' ').append(row[2]).append('\n');
        }
        return out.append("0 0 0\n").toString();
    }

    /**
     * Submits {@code pipeline}, waits up to {@code timeoutMillis} for its run to end and returns its detail; fails
     * unless the submission is accepted and the run succeeds.
     */
    public static JsonNode runToSuccess(ApiClient api, Object pipeline, long timeoutMillis) throws Exception {
        long id = api.submitRun(pipeline);
        JsonNode detail = api.awaitRun(id, Duration.ofMillis(timeoutMillis), Duration.ofMillis(50));
        assertEquals("SUCCEEDED", detail.path("run").path("status").asText(), detail.path("run").toString());
        return detail;
    }

    /**
     * A client of a server on {@code 127.0.0.1:port} that waits up to 120 s for an answer (uploads are checked in a
     * child JVM, which takes longer than the shared client's 30 s on a loaded machine).
     */
    public static ApiClient client(int port, String token) {
        return new ApiClient(java.net.URI.create("http://127.0.0.1:" + port), token, java.time.Duration.ofSeconds(120));
    }

    /** Loads the configuration of {@code home} with overrides. */
    public static ServerConfig config(Path home, Map<String, String> overrides) {
        return ServerConfig.load(home, overrides);
    }
}
