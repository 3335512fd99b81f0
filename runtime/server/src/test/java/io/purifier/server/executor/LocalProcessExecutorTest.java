package io.purifier.server.executor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalProcessExecutorTest {

    @TempDir
    Path dir;

    @Test
    void the_credential_goes_into_the_environment_and_never_onto_the_command_line() {
        WorkerCommandLine line = new WorkerCommandLine(dir, List.of("-Xmx1g", "-XX:+UseSerialGC"));
        WorkerLaunch launch = new WorkerLaunch(9, URI.create("http://127.0.0.1:7171"), "pwk_secret", dir.resolve("w"), dir.resolve("runs/9/worker.log"));
        List<String> cmd = line.command(launch);
        assertFalse(String.join(" ", cmd).contains("pwk_secret"), cmd.toString());
        assertEquals("pwk_secret", line.environment(launch).get(WorkerCommandLine.TOKEN_VARIABLE));
        assertEquals(Long.toString(ProcessHandle.current().pid()), line.environment(launch).get(WorkerCommandLine.PARENT_VARIABLE));
        assertTrue(cmd.containsAll(List.of("-Xmx1g", "-XX:+UseSerialGC", "-Dpurifier.home=" + dir.toAbsolutePath(),
                WorkerCommandLine.MAIN_CLASS, "worker", "--server", "http://127.0.0.1:7171", "--run", "9")), cmd.toString());
        assertTrue(cmd.indexOf("-Xmx1g") < cmd.indexOf(WorkerCommandLine.MAIN_CLASS), "JVM options before the main class");
    }

    @Test
    void a_worker_asking_for_cpus_and_memory_gets_that_many_threads_and_its_memory_caps_fitted() {
        WorkerCommandLine line = new WorkerCommandLine(dir, List.of("-Xmx2g", "-XX:+UseG1GC",
                "-Dorg.bytedeco.javacpp.maxbytes=4G", "-Dorg.bytedeco.javacpp.maxphysicalbytes=8G"));
        WorkerLaunch plain = new WorkerLaunch(1, URI.create("http://127.0.0.1:7171"), "pwk_a", dir.resolve("w"),
                dir.resolve("runs/1/worker.log"));
        assertFalse(line.environment(plain).containsKey(WorkerCommandLine.THREADS_VARIABLE), "default: the server's threads");
        assertTrue(line.command(plain).contains("-Xmx2g"));
        WorkerLaunch shaped = new WorkerLaunch(2, URI.create("http://127.0.0.1:7171"), "pwk_b", dir.resolve("w"),
                dir.resolve("runs/2/worker.log"), Duration.ofHours(1), new RunResources(1, 3072, null));
        assertEquals("1", line.environment(shaped).get(WorkerCommandLine.THREADS_VARIABLE));
        List<String> cmd = line.command(shaped);
        assertTrue(cmd.containsAll(List.of("-XX:+UseG1GC", "-Xmx1536m", "-Dorg.bytedeco.javacpp.maxbytes=1536M",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=3072M")), cmd.toString());
        assertFalse(cmd.contains("-Xmx2g") || cmd.contains("-Dorg.bytedeco.javacpp.maxbytes=4G"), cmd.toString());
    }

    @Test
    void the_heap_keeps_its_configured_size_when_it_fits_in_half_the_memory() {
        List<String> fitted = WorkerMemory.fit(List.of("-Xmx512m"), 4096);
        assertEquals(List.of("-Xmx512m", "-Dorg.bytedeco.javacpp.maxbytes=3584M",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=4096M"), fitted);
        assertEquals(2048L << 20, WorkerMemory.configuredHeap(List.of("-XX:+UseG1GC")));
        assertEquals(List.of("-Xmn256m", "-Xmx2048m", "-Dorg.bytedeco.javacpp.maxbytes=6144M",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=8192M"), WorkerMemory.fit(List.of("-Xmx2g", "-Xmn256m"), 8192),
                "a young generation that fits stays");
        assertEquals(List.of("-Xmn128m", "-Xmx512m", "-Dorg.bytedeco.javacpp.maxbytes=512M",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=1024M"), WorkerMemory.fit(List.of("-Xmx2g", "-Xmn256m"), 1024),
                "at most a quarter of a shrunken heap");
        assertEquals(3L << 30, WorkerMemory.configuredHeap(List.of("-Xmx1g", "-Xmx3G")), "the last -Xmx wins, as in the JVM");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerMemory.fit(List.of("-Xmxlots"), 4096));
        assertEquals("JVM option '-Xmxlots' has no size the JVM reads (like 512m or 2g)", e.getMessage());
    }

    @Test
    void the_local_executor_refuses_what_this_machine_does_not_have() {
        assertEquals(Map.of(), LocalProcessExecutor.refusals(new RunResources(2, 1024, null), 2, 4L << 30));
        Map<String, String> refused = LocalProcessExecutor.refusals(new RunResources(16, 65536, Duration.ofMinutes(5)), 2, 4L << 30);
        assertEquals(List.of("cpus", "memoryMegabytes"), List.copyOf(refused.keySet()));
        assertEquals("asks for 16 CPUs; the local executor runs workers on this machine, which has 2", refused.get("cpus"));
        assertEquals("asks for 65536 MiB; the local executor runs workers on this machine, which has 4096 MiB",
                refused.get("memoryMegabytes"));
    }

    @Test
    void an_installation_with_lib_jars_runs_its_workers_on_them() throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/a.jar"), "");
        assertEquals(dir.toAbsolutePath().resolve("lib") + "/*", new WorkerCommandLine(dir, List.of()).classPath());
        assertEquals(System.getProperty("java.class.path"), new WorkerCommandLine(dir.resolve("no-lib"), List.of()).classPath());
    }

    @Test
    void the_tail_of_a_log_skips_blank_lines_and_keeps_the_last_ones() throws Exception {
        Path log = dir.resolve("worker.log");
        Files.writeString(log, IntStream.range(0, 50).mapToObj(i -> "line " + i + "\n\n").collect(Collectors.joining()));
        assertEquals(List.of("line 47", "line 48", "line 49"), LocalProcessExecutor.tail(log, 3));
        assertEquals(List.of(), LocalProcessExecutor.tail(dir.resolve("missing.log"), 3));
    }
}
