package io.purifier.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A third party's machine in a test: the SDK laid out as the distribution ships it ({@code sdk/bin},
 * {@code sdk/template}, {@code sdk/repository}), and a Maven local repository holding only third-party artifacts
 * (hard links into the build's repository, every {@code io/purifier} artifact left out) plus the SDK repository
 * folder. Plugin projects build in it offline, so nothing of the reactor is reachable.
 */
final class SdkWorkspace {

    private final Path sdk;
    private final Path localRepository;

    private SdkWorkspace(Path sdk, Path localRepository) {
        this.sdk = sdk;
        this.localRepository = localRepository;
    }

    /** Lays out the SDK and the local repository under {@code dir} from the system properties Maven sets. */
    static SdkWorkspace create(Path dir) throws IOException {
        Path sources = Path.of(required("purifier.sdk"));
        Path sdk = Files.createDirectories(dir.resolve("sdk"));
        FileTrees.copy(sources.resolve("bin"), sdk.resolve("bin"));
        sdk.resolve("bin/purifier-new").toFile().setExecutable(true);
        FileTrees.copy(sources.resolve("template"), sdk.resolve("template"));
        FileTrees.copy(Path.of(required("purifier.sdkRepository")), sdk.resolve("repository"));
        Path m2 = dir.resolve("m2");
        linkTree(Path.of(required("purifier.localRepository")), m2, Path.of("io", "purifier"));
        FileTrees.copy(sdk.resolve("repository"), m2);
        return new SdkWorkspace(sdk, m2);
    }

    /** The SDK folder (as dist/target/purifier/sdk). */
    Path sdk() {
        return sdk;
    }

    /** Runs {@code sdk/bin/purifier-new} with {@code args} in {@code workDir}; fails unless it exits with 0. */
    String generate(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(sdk.resolve("bin/purifier-new").toString()));
        command.addAll(List.of(args));
        return run(command, workDir, 60);
    }

    /**
     * Builds the Maven project in {@code project} offline against this workspace's local repository only
     * ({@code mvn -o package}, with {@code extraArgs}) and returns the bundle jar it made.
     */
    Path build(Path project, String... extraArgs) throws IOException, InterruptedException {
        return mvn(project, "package", extraArgs);
    }

    /**
     * {@link #build} up to {@code verify}: the project's integration tests ({@code *IT}, the testkit's host harness)
     * run after the jar is made.
     */
    Path verify(Path project, String... extraArgs) throws IOException, InterruptedException {
        return mvn(project, "verify", extraArgs);
    }

    private Path mvn(Path project, String phase, String... extraArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-q", "-o", "-Dmaven.repo.local=" + localRepository));
        command.addAll(List.of(extraArgs));
        command.add(phase);
        run(command, project, 600);
        try (var jars = Files.list(project.resolve("target"))) {
            return jars.filter(p -> p.toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no jar in " + project.resolve("target")));
        }
    }

    /** A copy of {@code jar} at {@code target} whose entries pass through {@code edit} (entry name → new text, or null to keep). */
    static Path rewrite(Path jar, Path target, EntryEdit edit) throws IOException {
        try (JarFile in = new JarFile(jar.toFile());
             OutputStream file = Files.newOutputStream(target)) {
            Manifest manifest = new Manifest(in.getManifest());
            edit.manifest().apply(manifest);
            try (JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (JarEntry e : in.stream().toList()) {
                    if (e.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(e.getName()));
                    try (InputStream data = in.getInputStream(e)) {
                        byte[] bytes = data.readAllBytes();
                        String replaced = edit.text().apply(e.getName(), new String(bytes, StandardCharsets.UTF_8));
                        out.write(replaced == null ? bytes : replaced.getBytes(StandardCharsets.UTF_8));
                    }
                    out.closeEntry();
                }
            }
        }
        return target;
    }

    /** How {@link #rewrite} changes a jar: the manifest in place, entry texts by name (null keeps an entry). */
    record EntryEdit(ManifestEdit manifest, java.util.function.BiFunction<String, String, String> text) {
    }

    /** Changes a manifest in place. */
    interface ManifestEdit {
        void apply(Manifest manifest);
    }

    private static String run(List<String> command, Path workDir, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("sdk-command", ".log");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s:\n" + tail(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " in " + workDir + " failed with exit code " + p.exitValue() + ":\n" + tail(log));
        }
        return Files.readString(log);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (run through Maven)");
        }
        return value;
    }

    /** Mirrors {@code source} into {@code target} with hard links (copies across file systems), leaving out {@code skip}. */
    private static void linkTree(Path source, Path target, Path skip) throws IOException {
        UnaryOperator<Path> to = p -> target.resolve(source.relativize(p).toString());
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (source.relativize(d).equals(skip)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.apply(d));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                try {
                    Files.createLink(to.apply(f), f);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(f, to.apply(f), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
