package io.purifier.server.store;

import io.purifier.server.auth.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every synced write is found by H2's crash recovery when its chunk lands in reused free space of a grown database
 * (the case that lost the first server's writes in {@code CrashDurabilityIT} and the long fuzz run; see
 * {@link StoreHeader}). A copy of the database file taken right after a write returns is what {@code kill -9} at that
 * moment leaves behind (H2 has written everything to the operating system, and nothing more is written); each copy
 * is opened as a restarted server would open it. The retention time is set to 0 so that chunks freed by the
 * growth are reused at once, as they are 45 s later in a running server. Without the store-header fix, 10 of these
 * 15 writes are lost.
 */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void every_synced_write_survives_a_crash_when_its_chunk_reuses_free_space() throws Exception {
        Path data = dir.resolve("data");
        grow(data);
        List<String> lost = new ArrayList<>();
        int writes = 15;
        try (Database db = Database.open(data)) {
            try (Connection c = db.connection(); Statement st = c.createStatement()) {
                st.execute("SET RETENTION_TIME 0");
            }
            UserStore users = new UserStore(db);
            for (int i = 0; i < writes; i++) {
                String name = "after-growth-" + i;
                users.add(name, Role.RESEARCHER);
                Path crashed = Files.createDirectories(dir.resolve("crash-" + i));
                Files.copy(data.resolve(Database.FILE_NAME), crashed.resolve(Database.FILE_NAME));
                try (Database recovered = Database.open(crashed)) {
                    if (new UserStore(recovered).find(name).isEmpty()) {
                        lost.add(name);
                    }
                }
            }
        }
        assertEquals(List.of(), lost, "synced writes not found by crash recovery (of " + writes + ")");
    }

    /** A database grown with the real schema and closed the way the server closes it: several MB, many dead chunks. */
    private static void grow(Path data) throws Exception {
        try (Database db = Database.open(data); Connection c = db.connection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO users(name, role, created_at) SELECT 'grown-' || X, 'VIEWER', CURRENT_TIMESTAMP FROM SYSTEM_RANGE(1, 2000)");
            st.execute("INSERT INTO tokens(token_hash, user_id, created_at) SELECT RPAD(CAST(ID AS VARCHAR), 64, 'f'), ID, CURRENT_TIMESTAMP FROM users");
            st.execute("INSERT INTO runs(name, status, spec_json, seed, created_by, created_at, finished_at, progress) SELECT 'grown run ' || X, 'SUCCEEDED', '{}', X, 'admin', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1.0 FROM SYSTEM_RANGE(1, 500)");
            st.execute("INSERT INTO log_lines(run_id, step_idx, at, level, message) SELECT r.id, 0, CURRENT_TIMESTAMP, 'INFO', RPAD('grown log line ' || s.X, 300, 'x') FROM runs r, SYSTEM_RANGE(1, 20) s");
            for (int i = 0; i < 40; i++) {
                st.execute("UPDATE runs SET progress = " + (i / 40.0) + " WHERE MOD(id, 40) = " + i);
            }
        }
        assertTrue(Files.size(data.resolve(Database.FILE_NAME)) > 2_000_000, "the database should have grown to MBs");
    }
}
