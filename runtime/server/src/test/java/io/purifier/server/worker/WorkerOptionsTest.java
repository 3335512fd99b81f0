package io.purifier.server.worker;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkerOptionsTest {

    private static String problem(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> WorkerOptions.parse(List.of(args))).getMessage();
    }

    @Test
    void reads_server_run_and_working_directory() {
        WorkerOptions o = WorkerOptions.parse(List.of("--server", "http://10.0.0.5:7171", "--run", "42", "--work-dir", "/tmp/w"));
        assertEquals(URI.create("http://10.0.0.5:7171"), o.server());
        assertEquals(42, o.runId());
        assertEquals(Path.of("/tmp/w"), o.workDir());
    }

    @Test
    void names_what_is_missing_or_wrong() {
        assertEquals("worker needs --server URL (the server's base URL, e.g. http://127.0.0.1:7171)", problem("--run", "1"));
        assertEquals("worker needs --run ID (the run to execute)", problem("--server", "http://h:1"));
        assertEquals("--run must be a run id (a positive number), got 'x'", problem("--server", "http://h:1", "--run", "x"));
        assertEquals("--server must be an http(s) URL such as http://127.0.0.1:7171, got 'ftp://h'", problem("--server", "ftp://h", "--run", "1"));
        assertEquals("--run needs a value", problem("--server", "http://h:1", "--run"));
        assertEquals("unknown option '--token' for worker (see 'purifier worker --help')", problem("--token", "secret"));
    }
}
