package io.purifier.data;

import io.purifier.api.InvalidInputException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opening data files with checks and messages that name the file. */
final class DataFiles {

    private DataFiles() {
    }

    /** Fails unless {@code file} is an existing, readable regular file. */
    static void requireReadableFile(Path file, String what) {
        if (!Files.exists(file)) {
            throw new InvalidInputException(what + " " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(what + " " + file + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new InvalidInputException(what + " " + file + " is not readable");
        }
    }

    /** Fails unless {@code dir} is an existing, readable directory. */
    static void requireDirectory(Path dir, String what) {
        if (!Files.exists(dir)) {
            throw new InvalidInputException(what + " " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(what + " " + dir + " is not a directory");
        }
        if (!Files.isReadable(dir)) {
            throw new InvalidInputException(what + " " + dir + " is not readable");
        }
    }

    /**
     * Fails when {@code file}, with symbolic links followed, lies outside {@code dir}: a dataset folder that was
     * checked against the data roots must not lead the reader elsewhere.
     */
    static void requireInside(Path file, Path dir, String what) {
        try {
            Path real = file.toRealPath();
            Path realDir = dir.toRealPath();
            if (!real.startsWith(realDir)) {
                throw new InvalidInputException(what + " " + file + " is a symbolic link to " + real + ", outside " + realDir);
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot resolve " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a file for reading, transparently decompressing it when it starts with the gzip magic bytes
     * (whatever its name).
     */
    static InputStream openMaybeGzipped(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return raw;
    }
}
