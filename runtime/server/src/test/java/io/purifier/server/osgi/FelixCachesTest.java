package io.purifier.server.osgi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FelixCachesTest {

    @TempDir
    Path root;

    @Test
    void each_process_gets_its_own_cache_and_only_caches_of_dead_processes_are_removed() throws Exception {
        long self = ProcessHandle.current().pid();
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Path live = Files.createDirectories(root.resolve(Long.toString(other.pid())).resolve("bundle1"));
            Path dead = Files.createDirectories(root.resolve("999999999").resolve("bundle1"));
            Files.writeString(dead.resolve("bundle.jar"), "x");
            Path legacy = Files.createDirectories(root.resolve("bundle0"));
            Path stray = Files.writeString(root.resolve("cache.lock"), "");
            Path mine = Files.createDirectories(root.resolve(Long.toString(self)).resolve("bundle7"));

            Path dir = FelixCaches.forThisProcess(root);

            assertEquals(root.resolve(Long.toString(self)), dir);
            assertTrue(Files.isDirectory(live), "a running process keeps its cache");
            assertFalse(Files.exists(dead.getParent()), "the cache of a process that is gone is deleted");
            assertFalse(Files.exists(legacy), "the shared cache of earlier versions is deleted");
            assertFalse(Files.exists(stray));
            assertFalse(Files.exists(mine), "a cache left by an earlier process with this pid starts clean");
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void a_missing_root_is_created() throws Exception {
        Path dir = FelixCaches.forThisProcess(root.resolve("data").resolve("felix-cache"));
        assertTrue(Files.isDirectory(dir.getParent()));
        assertEquals(Long.toString(ProcessHandle.current().pid()), dir.getFileName().toString());
    }
}
