package io.purifier.server.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandbyAssignmentTest {

    final ObjectMapper json = new ObjectMapper();

    private static ByteArrayInputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void the_line_the_executor_writes_is_the_run_the_standby_executes() throws Exception {
        String line = StandbyAssignment.line("http://127.0.0.1:7171", 12, Path.of("/data/workers/12"), "pwk_x", json);
        StandbyAssignment a = StandbyAssignment.read(input(line + "\n"), json).orElseThrow();
        assertEquals(new WorkerOptions(URI.create("http://127.0.0.1:7171"), 12, Path.of("/data/workers/12")), a.options());
        assertEquals("pwk_x", a.token());
    }

    @Test
    void a_standby_let_go_before_its_run_exits_quietly_and_a_line_without_credential_is_refused() throws Exception {
        assertTrue(StandbyAssignment.read(input(""), json).isEmpty());
        assertEquals("the standby assignment carries no credential", assertThrows(IllegalArgumentException.class,
                () -> StandbyAssignment.read(input("{\"server\": \"http://h:1\", \"run\": 3}\n"), json)).getMessage());
    }
}
