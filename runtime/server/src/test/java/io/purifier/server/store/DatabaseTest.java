package io.purifier.server.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseTest {

    @TempDir
    Path dir;

    @Test
    void an_empty_database_file_is_refused_instead_of_starting_an_empty_history() throws Exception {
        Files.createFile(dir.resolve(Database.FILE_NAME));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Database.open(dir));
        assertTrue(e.getMessage().contains("is empty (0 bytes)"), e.getMessage());
    }

    @Test
    void a_missing_database_file_beside_earlier_data_is_refused() throws Exception {
        Files.writeString(dir.resolve("admin-token"), "pur_x\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Database.open(dir));
        assertTrue(e.getMessage().contains("is missing") && e.getMessage().contains("admin-token"), e.getMessage());
    }

    @Test
    void a_fresh_directory_opens_without_auto_server_and_with_an_os_file_lock() throws Exception {
        try (Database db = Database.open(dir); Connection c = db.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            assertTrue(rs.next());
            assertEquals(Integer.toString(Database.WRITE_DELAY_MS), rs.getString(1));
        }
        assertFalse(Files.readString(dir.resolve(Database.FILE_NAME), java.nio.charset.StandardCharsets.ISO_8859_1).contains("AUTO_SERVER"));
    }

    @Test
    void a_durable_write_is_in_the_file_before_it_returns() throws Exception {
        try (Database db = Database.open(dir)) {
            Jdbc jdbc = new Jdbc(db);
            long before = Files.size(dir.resolve(Database.FILE_NAME));
            jdbc.update("INSERT INTO pipelines(name, spec_json, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    "p", "{\"big\":\"" + "x".repeat(20_000) + "\"}", "me", java.time.Instant.now(), java.time.Instant.now());
            assertTrue(Files.size(dir.resolve(Database.FILE_NAME)) > before + 10_000, "the row is not in the file yet");
        }
    }

    @Test
    void lock_failures_mean_another_process_holds_the_database() {
        assertTrue(Database.isInUse(new SQLException("Database may be already in use", "90020", 90020)));
        assertFalse(Database.isInUse(new SQLException("Syntax error in SQL statement", "42000", 42000)));
    }

    @Test
    void the_data_directory_is_made_private_to_its_user() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data/models/m-1"));
        Path file = Files.writeString(data.resolve("model.bin"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir.resolve("data"), PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Path> narrowed = DataDirectory.secure(dir.resolve("data"));
        assertTrue(narrowed.contains(file) && narrowed.contains(dir.resolve("data")), narrowed.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals(List.of(), DataDirectory.secure(dir.resolve("data")));
    }
}
