package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.client.ApiClient;
import io.purifier.server.CrashDurabilityIT.Expectation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The load of one {@link CrashDurabilityIT} cycle: writes of every kind, one after the other, each recorded in the
 * ledger once acknowledged, with the check that finds it after a restart.
 */
final class CrashLoad {
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Long, List<String>> sentNames;
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

    /**
     * @param sentNames every name sent in an update of a saved pipeline, in order, acknowledged or not (kept across
     *                  the cycles: a kill may land between the send and the answer)
     */
    CrashLoad(ApiClient admin, List<Expectation> ledger, Path home, Random random, int cycle,
              Map<Long, List<String>> sentNames) {
        this.sentNames = sentNames;
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
