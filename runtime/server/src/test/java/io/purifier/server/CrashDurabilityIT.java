package io.purifier.server;

import io.purifier.client.ApiClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.server.store.Database;
import io.purifier.server.store.UserStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
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

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
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
                Load load = new Load(admin, ledger, home, new Random(random.nextLong()), cycle);
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> load.run(stop));
                long killAfter = 1_500 + random.nextInt(5_000);
                try {
                    writer.get(killAfter, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException expected) {
                    // the load is still writing: the kill lands in the middle of it
                }
                server.kill();
                stop.set(true);
                writer.handle((v, e) -> null).get(60, TimeUnit.SECONDS);
                writes += ledger.size() - before;
                System.out.printf("crash cycle %d: killed after %d ms, %d acknowledged writes%n", cycle + 1, killAfter,
                        ledger.size() - before);
            }
        }
        try (ServerProcess server = ServerProcess.start(home)) {
            lost += lostWrites(server.api(token), ledger, home);
        }
        System.out.printf("crash durability: %d cycles, %d acknowledged writes, %d lost, database grown to %d bytes%n",
                cycles, writes, lost, grownBytes);
        assertTrue(writes > cycles * 3, "too few writes to mean anything: " + writes);
        assertEquals(0, lost, "acknowledged writes lost");
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

    /** Writes of every kind, one after the other, each recorded once acknowledged. */
    private final class Load {
        private final ApiClient admin;
        private final List<Expectation> ledger;
        private final Path home;
        private final Random random;
        private final int cycle;
        private final List<String> users = new ArrayList<>();
        private final List<Long> pipelines = new ArrayList<>();
        private final List<Long> runs = new ArrayList<>();
        private String modelId;
        private int n;

        Load(ApiClient admin, List<Expectation> ledger, Path home, Random random, int cycle) {
            this.admin = admin;
            this.ledger = ledger;
            this.home = home;
            this.random = random;
            this.cycle = cycle;
        }

        void run(AtomicBoolean stop) {
            try {
                while (!stop.get()) {
                    step();
                }
            } catch (Exception e) {
                // the server was killed in the middle of a request: that request was never acknowledged
            }
        }

        private void step() throws Exception {
            n++;
            if (modelId == null) {
                modelId = admin.get("/api/models").body().get(0).path("id").asText();
            }
            int kind = random.nextInt(8);
            switch (kind) {
                case 0, 1 -> addUser();
                case 2 -> token();
                case 3 -> pipeline();
                case 4 -> revoke();
                case 5 -> model();
                default -> run();
            }
            checkFinishedRuns();
        }

        private void addUser() throws Exception {
            String name = "c" + cycle + "-u" + n;
            ApiClient.Response r = admin.postJson("/api/users", json.createObjectNode().put("name", name).put("role", "researcher"));
            if (r.status() == 201) {
                users.add(name);
                String token = r.body().path("token").asText();
                ledger.add(new Expectation("user " + name, a -> a.get("/api/users").raw().contains("\"" + name + "\"")));
                ledger.add(new Expectation("first token of " + name, a -> a.as(token).get("/api/me").status() == 200));
            }
        }

        private void token() throws Exception {
            if (users.isEmpty()) {
                return;
            }
            String name = users.get(random.nextInt(users.size()));
            ApiClient.Response r = admin.postJson("/api/users/" + name + "/tokens", "");
            if (r.status() == 201) {
                String token = r.body().path("token").asText();
                ledger.add(new Expectation("another token of " + name, a -> a.as(token).get("/api/me").status() == 200));
            }
        }

        private void revoke() throws Exception {
            if (users.size() < 2) {
                return;
            }
            String name = users.remove(random.nextInt(users.size()));
            ledger.removeIf(e -> e.what().endsWith("token of " + name));
            ApiClient.Response r = admin.delete("/api/users/" + name);
            if (r.status() == 204) {
                ledger.add(new Expectation("revocation of " + name, a -> userRevoked(a, name)));
            }
        }

        private boolean userRevoked(ApiClient a, String name) throws Exception {
            for (JsonNode u : a.get("/api/users").body()) {
                if (u.path("name").asText().equals(name)) {
                    return !u.path("revokedAt").isNull() && !u.path("revokedAt").isMissingNode();
                }
            }
            return false;
        }

        private void pipeline() throws Exception {
            ObjectNode body = json.createObjectNode();
            String name = "c" + cycle + " pipeline " + n;
            body.put("name", name);
            body.putObject("spec").putObject("dataset").put("id", "sample-blobs");
            if (!pipelines.isEmpty() && random.nextBoolean()) {
                long id = pipelines.get(random.nextInt(pipelines.size()));
                List<String> sent = sentNames.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>());
                sent.add(name);
                if (admin.send("PUT", "/api/pipelines/" + id, body).status() == 200) {
                    ledger.add(new Expectation("update of pipeline " + id + " to '" + name + "'", a -> {
                        String current = a.get("/api/pipelines/" + id).body().path("name").asText();
                        return sent.indexOf(current) >= sent.indexOf(name);
                    }));
                }
                return;
            }
            ApiClient.Response r = admin.postJson("/api/pipelines", body);
            if (r.status() == 201) {
                long id = r.body().path("id").asLong();
                pipelines.add(id);
                ledger.add(new Expectation("pipeline " + id, a -> a.get("/api/pipelines/" + id).status() == 200));
            }
        }

        private void model() throws Exception {
            ApiClient.Response r = admin.postBytes("/api/models?format=sample-linear&filename=m" + n + ".txt",
                    TestHome.backdooredSampleModel().getBytes());
            if (r.status() == 201) {
                String id = r.body().path("id").asText();
                modelId = id;
                Path file = home.resolve("data/models").resolve(id).resolve(r.body().path("fileName").asText());
                ledger.add(new Expectation("model " + id, a -> a.get("/api/models/" + id).status() == 200 && Files.isRegularFile(file)));
            }
        }

        private void run() throws Exception {
            ObjectNode p = json.createObjectNode();
            p.put("name", "c" + cycle + " run " + n).put("seed", n);
            p.putObject("dataset").put("id", "sample-blobs");
            p.putObject("model").put("source", "stored").put("modelId", modelId);
            p.putObject("attack").put("id", "sample-corner").putObject("params").put("poisonRatio", 0.2);
            p.putArray("defenses").addObject().put("id", "sample-shrink");
            p.putArray("metrics").addObject().put("id", "sample-accuracy");
            ApiClient.Response r = admin.postJson("/api/runs", p);
            if (r.status() == 201) {
                long id = r.body().path("id").asLong();
                runs.add(id);
                ledger.add(new Expectation("run " + id, a -> a.get("/api/runs/" + id).status() == 200));
            }
        }

        /** A run the client saw finish must come back with every step, metric, artifact and log line it had. */
        private void checkFinishedRuns() throws Exception {
            for (Long id : List.copyOf(runs)) {
                JsonNode d = admin.get("/api/runs/" + id).body();
                if (d != null && d.path("run").path("status").asText().equals("SUCCEEDED")) {
                    runs.remove(id);
                    int steps = d.path("steps").size();
                    int metrics = d.path("metrics").size();
                    int artifacts = d.path("artifacts").size();
                    int logs = admin.get("/api/runs/" + id + "/logs").body().size();
                    ledger.add(new Expectation("finished run " + id + " (" + steps + " steps, " + metrics + " metrics, "
                            + artifacts + " artifacts, " + logs + " log lines)", a -> {
                        JsonNode after = a.get("/api/runs/" + id).body();
                        return after.path("run").path("status").asText().equals("SUCCEEDED")
                                && after.path("steps").size() == steps && after.path("metrics").size() == metrics
                                && after.path("artifacts").size() == artifacts
                                && a.get("/api/runs/" + id + "/logs").body().size() >= logs;
                    }));
                }
            }
        }
    }
}
