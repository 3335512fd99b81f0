package io.purifier.server;

import io.purifier.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database is the server's alone: no H2 server port or key, a data directory readable by its user only, and
 * {@code purifier user ...} goes through the running server's API (or opens the file when no server runs).
 */
class DatabaseOwnershipIT {

    @TempDir
    Path dir;

    private static String run(Path home, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, UserCommand.run(home, List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void user_commands_use_the_running_server_and_the_file_when_none_runs() throws Exception {
        Path home = TestHome.create(dir, false);
        try (ServerProcess server = ServerProcess.start(home)) {
            String added = run(home, "add", "bob", "--role", "viewer");
            String token = added.lines().reduce((a, b) -> b).orElseThrow().trim();
            assertEquals(200, server.api(token).get("/api/me").status(), added);
            assertTrue(run(home, "list").contains("bob"));
            Path data = home.resolve("data");
            try (Stream<Path> files = Files.walk(data)) {
                for (Path p : files.filter(p -> !Files.isSymbolicLink(p)).toList()) {
                    String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                    assertTrue(perms.endsWith("------"), p + " is " + perms);
                    if (p.getFileName().toString().endsWith(".lock.db")) {
                        String lock = Files.readString(p, StandardCharsets.ISO_8859_1);
                        assertFalse(lock.contains("server="), "the lock file advertises an H2 server: " + lock);
                    }
                }
            }
            Files.setPosixFilePermissions(home.resolve("data/admin-token"), PosixFilePermissions.fromString("rw-r--r--"));
            run(home, "revoke", "bob");
            assertEquals(401, server.api(token).get("/api/me").status());
        }
        String listed = run(home, "list");
        assertTrue(listed.contains("bob") && listed.contains("revoked"), listed);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("data/admin-token"))));
    }

    @Test
    void a_server_refuses_to_start_on_an_emptied_database_and_keeps_the_admin_token() throws Exception {
        Path home = TestHome.create(dir, false);
        try (PurifierServer first = PurifierServer.start(TestHome.config(home, java.util.Map.of()), false, null)) {
            assertTrue(first.adminTokenNote().contains("created now"));
        }
        String token = TestHome.adminToken(home);
        Path db = home.resolve("data/purifier.mv.db");
        Files.write(db, new byte[0]);
        IllegalStateException empty = assertThrows(IllegalStateException.class,
                () -> PurifierServer.start(TestHome.config(home, java.util.Map.of()), false, null));
        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
        Files.delete(db);
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> PurifierServer.start(TestHome.config(home, java.util.Map.of()), false, null));
        assertTrue(missing.getMessage().contains("is missing"), missing.getMessage());
        assertEquals(token, TestHome.adminToken(home));
    }
}
