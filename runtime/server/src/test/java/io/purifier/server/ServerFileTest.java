package io.purifier.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerFileTest {

    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();

    @Test
    void the_file_is_private_and_removed_by_its_own_process_only() throws Exception {
        ServerFile.write(dir, URI.create("http://127.0.0.1:1"), json);
        Path file = dir.resolve(ServerFile.NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.writeString(file, Files.readString(file).replaceFirst("\"owner\":\"[^\"]*\"", "\"owner\":\"1@2020-01-01T00:00:00Z\""));
        ServerFile.remove(dir, json);
        assertTrue(Files.exists(file), "another process's file stays");
        ServerFile.write(dir, URI.create("http://127.0.0.1:1"), json);
        ServerFile.remove(dir, json);
        assertFalse(Files.exists(file));
    }

    @Test
    void a_file_of_a_dead_process_or_a_server_that_does_not_answer_is_ignored() throws Exception {
        Files.writeString(dir.resolve(ServerFile.NAME), "{\"url\": \"http://127.0.0.1:1\", \"owner\": \"999999999@2020-01-01T00:00:00Z\"}");
        assertTrue(ServerFile.find(dir, json).isEmpty(), "dead owner");
        ServerFile.write(dir, URI.create("http://127.0.0.1:1"), json);
        assertTrue(ServerFile.find(dir, json).isEmpty(), "this process is alive but nothing answers on port 1");
        Files.writeString(dir.resolve(ServerFile.NAME), "not json");
        assertTrue(ServerFile.find(dir, json).isEmpty());
    }
}
