package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a server JVM in the middle of a run: its worker process stops by itself, and the next start marks the run
 * interrupted and keeps the rest.
 */
class CrashRecoveryIT {

    @TempDir
    Path dir;

    @Test
    void a_run_left_running_by_a_killed_server_is_interrupted_after_restart() throws Exception {
        Path home = TestHome.create(dir, true);
        try (ServerProcess child = ServerProcess.start(home, dir)) {
            String token = TestHome.adminToken(home);
            ApiClient api = new ApiClient(child.port(), token);
            ApiClient.Response model = api.postBytes("/api/models?format=sample-linear", TestHome.backdooredSampleModel().getBytes());
            assertEquals(201, model.status(), model.raw());
            ObjectMapper json = new ObjectMapper();
            ObjectNode p = json.createObjectNode();
            p.putObject("dataset").put("id", "sample-blobs");
            p.putObject("model").put("source", "stored").put("modelId", model.body().get("id").asText());
            ObjectNode d = p.putArray("defenses").addObject();
            d.put("id", "sample-shrink");
            d.putObject("params").put("failMode", "slow").put("seconds", 120);
            ApiClient.Response submitted = api.postJson("/api/runs", p);
            assertEquals(201, submitted.status(), submitted.raw());
            long runId = submitted.body().get("id").asLong();
            TestBundles.await("the slow step to run", 60_000, () -> {
                try {
                    return api.get("/api/runs/" + runId).body().path("steps").path(2).path("status").asText().equals("RUNNING");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            Matcher handed = Pattern.compile("handed to worker process (\\d+)").matcher(api.get("/api/runs/" + runId + "/logs").raw());
            assertTrue(handed.find(), "the run log names its worker process");
            long worker = Long.parseLong(handed.group(1));
            child.kill();
            TestBundles.await("the worker of the killed server to stop", 20_000,
                    () -> !ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false));

            try (PurifierServer restarted = PurifierServer.start(TestHome.config(home, Map.of()), true, null)) {
                JsonNode detail = new ApiClient(restarted.port(), token).get("/api/runs/" + runId).body();
                assertEquals("INTERRUPTED", detail.path("run").path("status").asText(), detail.toString());
                assertEquals("SUCCEEDED", detail.path("steps").path(0).path("status").asText());
                assertEquals("FAILED", detail.path("steps").path(2).path("status").asText());
                assertTrue(detail.path("steps").path(2).path("error").asText().contains("server stopped"));
                assertTrue(detail.path("metrics").size() > 0, "metrics of finished steps are kept");
            }
        }
    }
}
