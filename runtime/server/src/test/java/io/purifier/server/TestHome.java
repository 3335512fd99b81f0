package io.purifier.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A throw-away installation directory for tests: {@code bundles/} with the framework bundles (SCR, its APIs,
 * FileInstall) copied from {@code target/it-bundles}, optionally the sample plugins, an empty {@code deploy/},
 * and a configuration that binds a random port and polls deploy/ every 200 ms.
 */
public final class TestHome {

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
     * (Fashion-MNIST, BadNets, metric-core, native format; {@code target/it-bundles/builtin}).
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

    /** Loads the configuration of {@code home} with overrides. */
    public static ServerConfig config(Path home, Map<String, String> overrides) {
        return ServerConfig.load(home, overrides);
    }
}
