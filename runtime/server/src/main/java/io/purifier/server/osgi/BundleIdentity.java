package io.purifier.server.osgi;

import org.osgi.framework.Bundle;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who provides a plugin: bundle symbolic name, version and the SHA-256 of the bundle's jar (recorded in run
 * provenance).
 *
 * @param symbolicName bundle symbolic name
 * @param version      bundle version
 * @param bundleId     framework bundle id
 * @param sha256       SHA-256 of the jar file, or null when the location is not a file
 */
public record BundleIdentity(String symbolicName, String version, long bundleId, String sha256) {

    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    /** The identity of {@code bundle}, hashing its jar once per file version. */
    public static BundleIdentity of(Bundle bundle) {
        return new BundleIdentity(bundle.getSymbolicName(), bundle.getVersion().toString(), bundle.getBundleId(),
                jarHash(bundle.getLocation()));
    }

    /** The file behind a bundle location, or null. */
    public static Path locationFile(String location) {
        String loc = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        if (!loc.startsWith("file:")) {
            return null;
        }
        try {
            return Path.of(URI.create(loc));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String jarHash(String location) {
        Path file = locationFile(location);
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            String key = file + "|" + Files.getLastModifiedTime(file).toMillis() + "|" + Files.size(file);
            return HASHES.computeIfAbsent(key, k -> sha256(file));
        } catch (IOException e) {
            return null;
        }
    }

    /** SHA-256 (hex) of a file. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            DigestInputStream digest = (DigestInputStream) in;
            in.transferTo(OutputStreamSink.INSTANCE);
            return HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (IOException e) {
            throw new IllegalStateException("cannot hash " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Discards bytes (used while hashing). */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
            // discarded: only the digest matters
        }

        @Override
        public void write(byte[] b, int off, int len) {
            // discarded: only the digest matters
        }
    }
}
