package io.purifier.server.store;

import io.purifier.api.InvalidInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Streams a request body into a temporary file within a size limit (uploads, worker artifacts). */
public final class SpooledFile {

    private SpooledFile() {
    }

    /**
     * Reads {@code in} fully into a new temporary file below {@code dir}; the caller moves or deletes the file.
     *
     * @throws InvalidInputException when the stream holds more than {@code maxBytes} (the partial file is deleted)
     */
    public static Path spool(InputStream in, Path dir, long maxBytes) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "upload", ".tmp");
        try (var out = Files.newOutputStream(tmp)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new InvalidInputException("upload exceeds the limit of " + (maxBytes / (1024 * 1024)) + " MB");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }
}
