package io.purifier.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.BooleanSupplier;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Test helpers: bundle copies with rewritten identity, and deadline polling. */
public final class TestBundles {

    private TestBundles() {
    }

    /** Copies {@code source} to {@code target} with a new Bundle-SymbolicName and Bundle-Version. */
    public static Path withIdentity(Path source, Path target, String symbolicName, String version) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(source))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            Path tmp = target.resolveSibling(target.getFileName() + ".part");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp), manifest)) {
                JarEntry entry;
                while ((entry = in.getNextJarEntry()) != null) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /**
     * Writes a bundle jar with the given manifest headers (Bundle-ManifestVersion 2 is added) and class files copied
     * from this test class path.
     */
    public static Path bundle(Path target, java.util.Map<String, String> headers, Class<?>... classes) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        headers.forEach(manifest.getMainAttributes()::putValue);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest)) {
            for (Class<?> c : classes) {
                String name = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = c.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return target;
    }

    /** Polls {@code condition} every 20 ms until it holds or {@code millis} pass; returns the elapsed milliseconds. */
    public static long await(String what, long millis, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
    }

    /** Reads a stream fully as UTF-8. */
    public static String text(InputStream in) throws IOException {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
