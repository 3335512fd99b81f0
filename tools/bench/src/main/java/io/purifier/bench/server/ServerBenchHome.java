package io.purifier.bench.server;

import io.purifier.server.FileTrees;
import io.purifier.server.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A throw-away copy of an installation for {@code bench server}: its {@code conf/} and built-in {@code bundles/}
 * (minus the bundle to hot-deploy, which is kept aside), an empty {@code deploy/}, its own data directory, HTTP on
 * an ephemeral loopback port and the installation's data roots (so datasets are read from the same places).
 * {@link #close()} deletes it.
 */
public final class ServerBenchHome implements AutoCloseable {

    private final Path root;
    private final Path home;
    private final Path heldOutJar;
    private final String symbolicName;
    private final Map<String, String> overrides;
    private final ServerConfig config;

    private ServerBenchHome(Path root, Path home, Path heldOutJar, String symbolicName, Map<String, String> overrides) {
        this.root = root;
        this.home = home;
        this.heldOutJar = heldOutJar;
        this.symbolicName = symbolicName;
        this.overrides = Map.copyOf(overrides);
        this.config = ServerConfig.load(home, overrides);
    }

    /**
     * Copies {@code installation} into a new temporary directory.
     *
     * @param installation the installation (holds conf/ and bundles/)
     * @param deployJar    a jar file name in bundles/, or the start of exactly one jar's name
     * @throws IllegalArgumentException when no jar or several jars match {@code deployJar}, or it is no bundle
     */
    public static ServerBenchHome create(Path installation, String deployJar) throws IOException {
        Path bundles = installation.resolve("bundles");
        if (!Files.isDirectory(bundles)) {
            throw new IllegalArgumentException("no bundles directory at " + bundles);
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(bundles)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        Path chosen = choose(jars, deployJar, bundles);
        String bsn = symbolicName(chosen);
        ServerConfig original = ServerConfig.load(installation, Map.of());
        Path root = Files.createTempDirectory("purifier-bench-server-");
        try {
            Path home = Files.createDirectories(root.resolve("home"));
            Path conf = installation.resolve("conf");
            if (Files.isDirectory(conf)) {
                FileTrees.copy(conf, home.resolve("conf"));
            }
            Path targetBundles = Files.createDirectories(home.resolve("bundles"));
            for (Path jar : jars) {
                if (!jar.equals(chosen)) {
                    Files.copy(jar, targetBundles.resolve(jar.getFileName()));
                }
            }
            Files.createDirectories(home.resolve("deploy"));
            Path heldOut = Files.createDirectories(root.resolve("held-out")).resolve(chosen.getFileName());
            Files.copy(chosen, heldOut);
            Map<String, String> overrides = new HashMap<>();
            overrides.put("http.port", "0");
            overrides.put("http.bind", "127.0.0.1");
            overrides.put("data.dir", home.resolve("data").toString());
            overrides.put("data.roots", original.dataRoots().stream().map(Path::toString).collect(Collectors.joining(",")));
            return new ServerBenchHome(root, home, heldOut, bsn, overrides);
        } catch (IOException | RuntimeException e) {
            delete(root);
            throw e;
        }
    }

    /** The jar in {@code jars} whose file name is {@code name} or, failing that, the only one starting with it. */
    static Path choose(List<Path> jars, String name, Path dir) {
        for (Path jar : jars) {
            if (jar.getFileName().toString().equals(name)) {
                return jar;
            }
        }
        List<Path> matches = jars.stream().filter(p -> p.getFileName().toString().startsWith(name)).toList();
        if (matches.size() != 1) {
            throw new IllegalArgumentException((matches.isEmpty() ? "no" : matches.size()) + " jar(s) in " + dir
                    + " match --deploy-jar '" + name + "'; jars: "
                    + jars.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
        }
        return matches.get(0);
    }

    /** The Bundle-SymbolicName of {@code jar} (without directives). */
    static String symbolicName(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String bsn = file.getManifest() == null ? null : file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                throw new IllegalArgumentException(jar + " is not an OSGi bundle (no Bundle-SymbolicName)");
            }
            return bsn.split(";", 2)[0].trim();
        }
    }

    /** The temporary installation directory. */
    public Path home() {
        return home;
    }

    /** The settings that replace the copied {@code conf/purifier.properties} (port, data directory, data roots). */
    public Map<String, String> overrides() {
        return overrides;
    }

    /** Its settings (ephemeral port, own data directory). */
    public ServerConfig config() {
        return config;
    }

    /** The bundle left out of bundles/, kept outside the installation. */
    public Path heldOutJar() {
        return heldOutJar;
    }

    /** That bundle's symbolic name. */
    public String symbolicName() {
        return symbolicName;
    }

    /** Deletes the temporary directory. */
    @Override
    public void close() {
        delete(root);
    }

    private static void delete(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary installation " + dir, e);
        }
    }
}
