package io.purifier.server.worker;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerCommandTest {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int run(List<String> args, Map<String, String> env, String stdin) throws Exception {
        return WorkerCommand.run(Path.of("."), args, env, () -> null, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    void help_prints_the_usage_and_the_exit_codes() throws Exception {
        assertEquals(0, run(List.of("--help"), Map.of(), ""));
        String usage = out.toString(StandardCharsets.UTF_8);
        assertTrue(usage.startsWith("Usage: purifier worker --server URL --run ID [--work-dir DIR]"), usage);
        assertTrue(usage.contains("PURIFIER_WORKER_TOKEN") && usage.contains("--standby") && usage.contains("Exit codes"), usage);
    }

    @Test
    void the_credential_must_come_from_the_environment() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(List.of("--server", "http://127.0.0.1:1", "--run", "1"), Map.of(), ""));
        assertEquals("worker needs its credential in the environment variable PURIFIER_WORKER_TOKEN", e.getMessage());
    }

    @Test
    void a_standby_whose_input_ends_before_a_run_exits_quietly() throws Exception {
        assertEquals(0, run(List.of(WorkerCommand.STANDBY), Map.of(), ""));
    }
}
