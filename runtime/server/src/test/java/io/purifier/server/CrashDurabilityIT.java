package io.purifier.server;

import io.purifier.client.ApiClient;
import io.purifier.server.store.Database;
import io.purifier.server.store.UserStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every acknowledged write survives {@code kill -9} at any moment, on a grown database (thousands of rows, several
 * MB): a server in a child JVM takes writes of every kind (users, tokens, revocations, models, saved pipelines,
 * runs with their steps, metrics, logs and artifacts) while it is killed at a random moment; after the restart
 * every write the client saw acknowledged is checked. {@code -Dpurifier.crash.cycles=N} (default 2) sets the number
 * of kill/restart cycles and {@code -Dpurifier.crash.seed} the seed; {@code ./purifier fuzz --long} runs 20.
 */
class CrashDurabilityIT {

    /** Acknowledged writes each cycle has before its kill (the kill moment is drawn at random beyond that). */
    private static final int WRITES_PER_CYCLE = 4;
    /** Longest wait for them: a server that acknowledges fewer in two minutes fails the test. */
    private static final long WRITES_WAIT_MS = 120_000;

    @TempDir
    Path dir;

    /** Every name sent in an update of a saved pipeline, in order, acknowledged or not (a kill may land in between). */
    private final java.util.Map<Long, List<String>> sentNames = new java.util.concurrent.ConcurrentHashMap<>();

    /** One acknowledged write and how to check it on a restarted server. */
    record Expectation(String what, Check check) {
    }

    /** Whether an acknowledged write is still there. */
    @FunctionalInterface
    interface Check {
        boolean holds(ApiClient admin) throws Exception;
    }

    @Test
    void acknowledged_writes_of_every_kind_survive_kill_9_at_random_moments() throws Exception {
        int cycles = Integer.getInteger("purifier.crash.cycles", 2);
        long seed = Long.getLong("purifier.crash.seed", 20L);
        Random random = new Random(seed);
        Path home = TestHome.create(dir, true);
        long grownBytes = grow(home.resolve("data"));
        assertTrue(grownBytes > 4_000_000, "the database should have grown to several MB, is " + grownBytes);
        String token = TestHome.adminToken(home);
        List<Expectation> ledger = new CopyOnWriteArrayList<>();
        int lost = 0;
        int writes = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            try (ServerProcess server = ServerProcess.start(home)) {
                ApiClient admin = server.api(token);
                lost += lostWrites(admin, ledger, home);
                if (cycle == 0) {
                    ApiClient.Response model = admin.postBytes("/api/models?format=sample-linear&filename=first.txt",
                            TestHome.backdooredSampleModel().getBytes());
                    assertEquals(201, model.status(), model.raw());
                    String id = model.body().path("id").asText();
                    Path file = home.resolve("data/models").resolve(id).resolve("first.txt");
                    ledger.add(new Expectation("model " + id, a -> {
                        ApiClient.Response r = a.get("/api/models/" + id);
                        boolean holds = r.status() == 200 && Files.isRegularFile(file);
                        if (!holds) {
                            System.out.println("model " + id + ": GET answered " + r.status() + " " + r.raw() + "; file "
                                    + (Files.exists(file) ? "present" : "absent"));
                        }
                        return holds;
                    }));
                }
                int before = ledger.size();
                AtomicBoolean stop = new AtomicBoolean();
                CrashLoad load = new CrashLoad(admin, ledger, home, new Random(random.nextLong()), cycle, sentNames);
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> load.run(stop));
                long killAfter = 1_500 + random.nextInt(5_000);
                long killedAt = awaitKillMoment(writer, ledger, before, killAfter);
                server.kill();
                stop.set(true);
                writer.handle((v, e) -> null).get(60, TimeUnit.SECONDS);
                writes += ledger.size() - before;
                System.out.printf("crash cycle %d: killed after %d ms (drawn: %d ms), %d acknowledged writes%n", cycle + 1,
                        killedAt, killAfter, ledger.size() - before);
            }
        }
        try (ServerProcess server = ServerProcess.start(home)) {
            lost += lostWrites(server.api(token), ledger, home);
        }
        System.out.printf("crash durability: %d cycles, %d acknowledged writes, %d lost, database grown to %d bytes%n",
                cycles, writes, lost, grownBytes);
        assertTrue(writes >= cycles * WRITES_PER_CYCLE, "too few writes to mean anything: " + writes);
        assertEquals(0, lost, "acknowledged writes lost");
    }

    /**
     * Waits until the cycle has at least {@value #WRITES_PER_CYCLE} acknowledged writes and {@code killAfter} ms have
     * passed (on a loaded machine a server may take seconds for its first answers; the kill then still lands in the
     * middle of the load, at a random moment after those writes). Returns the milliseconds waited.
     */
    private static long awaitKillMoment(CompletableFuture<Void> writer, List<Expectation> ledger, int before, long killAfter)
            throws Exception {
        long waited = TestBundles.await(WRITES_PER_CYCLE + " acknowledged writes in the cycle", WRITES_WAIT_MS,
                () -> writer.isDone() || ledger.size() - before >= WRITES_PER_CYCLE);
        if (waited >= killAfter) {
            return waited;
        }
        try {
            writer.get(killAfter - waited, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException expected) {
            // the load is still writing: the kill lands in the middle of it
        }
        return killAfter;
    }

    private int lostWrites(ApiClient admin, List<Expectation> ledger, Path home) throws Exception {
        int lost = 0;
        for (Expectation e : ledger) {
            if (!e.check().holds(admin)) {
                System.out.println("LOST after restart: " + e.what());
                lost++;
            }
        }
        return lost;
    }

    /**
     * Grows the database before the first start: thousands of rows of every table, several MB. The retention time
     * (persistent) is set to 0 so that the servers write into space freed by the growth from their first write on,
     * which a server otherwise does only 45 s after the space was freed: the case in which H2's recovery lost every
     * write since (store.StoreHeader), met here whatever the machine's speed.
     */
    private long grow(Path data) throws Exception {
        try (Database db = Database.open(data)) {
            PurifierServer.ensureAdmin(new UserStore(db), data);
            try (Connection c = db.connection(); Statement st = c.createStatement()) {
                st.execute("SET RETENTION_TIME 0");
                st.execute("INSERT INTO users(name, role, created_at) SELECT 'grown-' || X, 'VIEWER', CURRENT_TIMESTAMP FROM SYSTEM_RANGE(1, 2000)");
                st.execute("INSERT INTO tokens(token_hash, user_id, created_at) SELECT RPAD(CAST(ID AS VARCHAR), 64, 'f'), ID, CURRENT_TIMESTAMP FROM users WHERE name LIKE 'grown-%'");
                st.execute("INSERT INTO pipelines(name, spec_json, created_by, created_at, updated_at) SELECT 'grown ' || X, '{\"dataset\":{\"id\":\"sample-blobs\"}}', 'admin', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM SYSTEM_RANGE(1, 1000)");
                st.execute("INSERT INTO runs(name, status, spec_json, seed, created_by, created_at, finished_at, progress) SELECT 'grown run ' || X, 'SUCCEEDED', '{}', X, 'admin', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1.0 FROM SYSTEM_RANGE(1, 500)");
                st.execute("INSERT INTO steps(run_id, idx, kind, title, status) SELECT r.id, s.X, 'DEFENSE', 'grown step', 'SUCCEEDED' FROM runs r, SYSTEM_RANGE(0, 3) s");
                st.execute("INSERT INTO metric_values(run_id, step_idx, metric_id, name, val, direction, unit, ord) SELECT r.id, s.X, 'm', 'value ' || s.X, RAND(), 'HIGHER_IS_BETTER', 'fraction', s.X FROM runs r, SYSTEM_RANGE(0, 7) s");
                st.execute("INSERT INTO log_lines(run_id, step_idx, at, level, message) SELECT r.id, 0, CURRENT_TIMESTAMP, 'INFO', RPAD('grown log line ' || s.X, 300, 'x') FROM runs r, SYSTEM_RANGE(1, 40) s");
                st.execute("INSERT INTO curve_points(run_id, step_idx, series, x, y) SELECT r.id, 0, 'loss', s.X, RAND() FROM runs r, SYSTEM_RANGE(1, 20) s");
                st.execute("INSERT INTO artifacts(run_id, step_idx, name, rel_path, size, sha256) SELECT r.id, 0, 'grown.json', 'runs/none', 1, RPAD('a', 64, 'a') FROM runs r");
            }
        }
        return Files.size(data.resolve(Database.FILE_NAME));
    }
}
