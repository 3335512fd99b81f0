package io.purifier.server.osgi;

import io.purifier.server.FileTrees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One Felix framework cache per process under the data directory's {@code felix-cache}. Felix cleans its cache at
 * the first init, so two processes on one installation (a server and a {@code purifier run}, or two benchmarks)
 * sharing one cache would delete each other's extracted bundles. Each process gets {@code felix-cache/<pid>};
 * caches of processes that no longer run, and anything else in the directory (the single shared cache of earlier
 * versions), are deleted when a process starts.
 */
public final class FelixCaches {

    private FelixCaches() {
    }

    /**
     * Removes the caches of dead processes under {@code root} and returns this process's cache directory.
     *
     * @param root the {@code felix-cache} directory (created if missing)
     * @throws IOException when the directory cannot be listed or a stale cache cannot be deleted
     */
    public static Path forThisProcess(Path root) throws IOException {
        Files.createDirectories(root);
        long self = ProcessHandle.current().pid();
        List<Path> entries;
        try (Stream<Path> list = Files.list(root)) {
            entries = list.toList();
        }
        for (Path entry : entries) {
            if (!ownedByAnotherLiveProcess(entry.getFileName().toString(), self)) {
                FileTrees.delete(entry);
            }
        }
        return root.resolve(Long.toString(self));
    }

    private static boolean ownedByAnotherLiveProcess(String name, long self) {
        long pid;
        try {
            pid = Long.parseLong(name);
        } catch (NumberFormatException e) {
            return false;
        }
        return pid != self && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
