package io.purifier.server.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Flushes files and directories to the disk, so that a rename or a new file survives a crash of the machine. */
public final class Durable {

    private Durable() {
    }

    /** Forces {@code path} (a file, or a directory's entries) to the storage device. */
    public static void force(Path path) throws IOException {
        boolean dir = Files.isDirectory(path);
        try (FileChannel ch = FileChannel.open(path, dir ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            if (!dir) {
                throw e;
            }
            // some file systems cannot open a directory for syncing; the file itself was forced
        }
    }
}
