package io.purifier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throw-away installation for the benchmark ITs: {@code bundles/} with the framework bundles, the sample plugins,
 * Fashion-MNIST, BadNets and the core metrics (copied by Maven to {@code target/it-bundles}), an empty
 * {@code deploy/}, and a configuration with a random port, a 200 ms deploy poll and one run at a time.
 */
public final class BenchTestHome {

    /** The sample-plugins bundle's file name. */
    public static final String SAMPLE_PLUGINS = "purifier-sample-plugins.jar";

    private BenchTestHome() {
    }

    /** Creates the installation under {@code parent}. */
    public static Path create(Path parent) throws IOException {
        String dir = System.getProperty("purifier.itBundles");
        Path itBundles = dir != null ? Path.of(dir) : Path.of("target", "it-bundles");
        if (!Files.isDirectory(itBundles)) {
            throw new IllegalStateException("test bundles not found at " + itBundles.toAbsolutePath() + " (run through Maven)");
        }
        Path home = Files.createDirectories(parent.resolve("home"));
        Path bundles = Files.createDirectories(home.resolve("bundles"));
        Files.createDirectories(home.resolve("deploy"));
        Files.createDirectories(home.resolve("conf"));
        try (Stream<Path> jars = Files.list(itBundles)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, bundles.resolve(jar.getFileName()));
            }
        }
        Files.writeString(home.resolve("conf/purifier.properties"), String.join("\n", List.of(
                "http.port=0", "http.bind=127.0.0.1", "deploy.pollMillis=200", "runs.threads=1", "runs.queue=20")) + "\n");
        return home;
    }
}
