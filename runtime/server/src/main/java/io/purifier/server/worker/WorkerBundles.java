package io.purifier.server.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.purifier.server.osgi.BundleIdentity;
import org.osgi.framework.Version;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The bundles a worker installs: exactly those of its ticket. Built-in bundles come from the worker's own
 * installation ({@code bundles/}) and must have the server's symbolic name, version and SHA-256; deployed bundles are
 * downloaded from the server and checked against the ticket's SHA-256. Any difference refuses the run with a message
 * that names the bundle and both versions.
 */
final class WorkerBundles {

    /** The worker's bundles differ from the server's. */
    static final class Mismatch extends Exception {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message);
        }
    }

    /** A bundle jar on disk with the identity its manifest declares. */
    record Jar(Path file, String symbolicName, String version, String sha256) {
    }

    private final Path installed;
    private final Path downloads;
    private final WorkerClient client;

    /**
     * @param installed the installation's built-in bundles ({@code bundles/})
     * @param downloads where downloaded bundles go
     * @param client    the worker's client
     */
    WorkerBundles(Path installed, Path downloads, WorkerClient client) {
        this.installed = installed;
        this.downloads = downloads;
        this.client = client;
    }

    /**
     * The jars to install for the ticket's {@code bundles}, in the ticket's order.
     *
     * @throws Mismatch when a bundle is missing here or differs from the server's
     */
    List<Path> prepare(JsonNode bundles) throws Mismatch, IOException, InterruptedException {
        Map<String, Jar> local = index(installed);
        List<Path> jars = new ArrayList<>();
        for (JsonNode b : bundles) {
            String bsn = b.path("symbolicName").asText();
            String version = b.path("version").asText();
            String sha = b.path("sha256").asText(null);
            if (b.path("builtIn").asBoolean()) {
                Jar jar = local.get(bsn);
                if (jar == null) {
                    throw new Mismatch("bundle " + bsn + " " + version + " is built into the server but missing from this "
                            + "worker's installation (its bundles/ directory)");
                }
                if (!jar.version().equals(version) || (sha != null && !sha.equals(jar.sha256()))) {
                    throw new Mismatch("bundle " + bsn + " differs: the server runs version " + version + " (sha256 "
                            + shortHash(sha) + "), this worker has version " + jar.version() + " (sha256 "
                            + shortHash(jar.sha256()) + ") in " + jar.file().getFileName());
                }
                jars.add(jar.file());
            } else {
                Path target = downloads.resolve(bsn + ".jar");
                client.download("bundles/" + WorkerClient.segment(bsn), target);
                Jar jar = read(target);
                if (!bsn.equals(jar.symbolicName()) || !version.equals(jar.version()) || (sha != null && !sha.equals(jar.sha256()))) {
                    throw new Mismatch("bundle " + bsn + " changed on the server while this worker downloaded it: expected version "
                            + version + " (sha256 " + shortHash(sha) + "), got " + jar.symbolicName() + " version " + jar.version()
                            + " (sha256 " + shortHash(jar.sha256()) + ")");
                }
                jars.add(target);
            }
        }
        return jars;
    }

    /** The jars of {@code dir} by symbolic name (files that are no bundles are left out). */
    static Map<String, Jar> index(Path dir) throws IOException {
        Map<String, Jar> out = new HashMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                Jar jar = read(f);
                if (jar.symbolicName() != null) {
                    out.putIfAbsent(jar.symbolicName(), jar);
                }
            }
        }
        return out;
    }

    /** The identity {@code file}'s manifest declares (symbolic name null when it is no bundle). */
    static Jar read(Path file) throws IOException {
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest m = jar.getManifest();
            String bsn = m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
            String version = m == null ? null : m.getMainAttributes().getValue("Bundle-Version");
            return new Jar(file, bsn == null ? null : bsn.split(";")[0].trim(),
                    Version.parseVersion(version == null ? null : version.trim()).toString(), BundleIdentity.sha256(file));
        }
    }

    private static String shortHash(String sha) {
        return sha == null ? "unknown" : sha.substring(0, Math.min(12, sha.length())) + "…";
    }
}
