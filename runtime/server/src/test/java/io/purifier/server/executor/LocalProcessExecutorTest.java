package io.purifier.server.executor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
