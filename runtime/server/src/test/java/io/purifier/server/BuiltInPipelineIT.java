package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.client.ApiClient;
import io.purifier.server.pipeline.AttackCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real plugins, real engine, tiny real data: Fashion-MNIST (300 train / 100 test images from the Debian package),
 * a small CNN trained for one epoch on BadNets-poisoned data, core metrics; then the same pipeline again, which
 * must reuse the cached attacked model and give identical numbers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuiltInPipelineIT {

    @TempDir
    static Path dir;
    PurifierServer server;
    ApiClient api;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        Path home = TestHome.create(dir, false, true);
        server = PurifierServer.start(TestHome.config(home, Map.of("training.checkpointMinutes", "0")), true,
                EngineModelTrainer.create());
        api = new ApiClient(server.port(), TestHome.adminToken(home));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private ObjectNode pipeline() {
        return TestHome.tinyBadNetsPipeline(json, 3);
    }

    private JsonNode run(ObjectNode pipeline) throws Exception {
        return TestHome.runToSuccess(api, pipeline, 120_000);
    }

    @Test
    void trains_an_attacked_model_once_and_reuses_it_from_the_cache() throws Exception {
        JsonNode first = run(pipeline());
        JsonNode modelStep = first.get("steps").get(2);
        assertEquals("model", modelStep.get("kind").asText());
        assertEquals(false, modelStep.path("summary").path("cacheHit").asBoolean(true));
        assertTrue(first.get("curves").toString().contains("train/loss"), "training curves are recorded");
        assertTrue(first.get("artifacts").toString().contains("trigger-"), "trigger pictures are artifacts");
        JsonNode names = first.get("metrics");
        assertTrue(names.toString().contains("\"C-ACC\"") && names.toString().contains("\"ASR\"") && names.toString().contains("\"RA\""), names.toString());

        JsonNode second = run(pipeline());
        JsonNode cached = second.get("steps").get(2);
        assertEquals(true, cached.path("summary").path("cacheHit").asBoolean(false));
        assertEquals(modelStep.path("summary").path("cacheKey").asText(), cached.path("summary").path("cacheKey").asText());
        assertEquals(first.get("metrics").toString(), second.get("metrics").toString(), "the cached model gives identical metrics");
        String logs = api.get("/api/runs/" + second.path("run").path("id").asLong() + "/logs").raw();
        assertTrue(logs.contains("poison indices match the cached model"), "the re-run attack is checked against the cache");

        String key = modelStep.path("summary").path("cacheKey").asText();
        assertTrue(api.get("/api/cache").body().toString().contains(key), "the entry is listed");
        assertEquals(204, api.delete("/api/cache/" + key).status());
        assertFalse(api.get("/api/cache").body().toString().contains(key), "the entry is gone");
    }

    @Test
    void a_run_cancelled_during_its_training_resumes_from_the_checkpoint_when_run_again() throws Exception {
        ObjectNode p = TestHome.tinyBadNetsPipeline(json, 5);
        ((ObjectNode) p.get("dataset").get("params")).put("trainSize", 200);
        ((ObjectNode) p.get("model").get("training")).put("epochs", 40);
        long id = api.submitRun(p);
        TestBundles.await("a checkpoint of run " + id, 120_000, () -> logsOf(id).contains("saved the training checkpoint after epoch"));
        assertEquals(202, api.postJson("/api/runs/" + id + "/cancel", "{}").status());
        JsonNode stopped = api.awaitRun(id, java.time.Duration.ofSeconds(120), java.time.Duration.ofMillis(50));
        assertEquals("CANCELLED", stopped.path("run").path("status").asText(), stopped.path("run").toString());

        JsonNode checkpoints = api.get("/api/cache/checkpoints").body();
        assertEquals(1, checkpoints.size(), checkpoints.toString());
        JsonNode checkpoint = checkpoints.get(0);
        int done = checkpoint.get("epochsDone").asInt();
        assertTrue(done >= 1 && done < 40, checkpoint.toString());
        assertEquals(40, checkpoint.get("epochs").asInt());
        assertEquals("run " + id, checkpoint.get("origin").asText());
        assertTrue(checkpoint.get("sizeBytes").asLong() > 0);

        resumesOnAnotherInstallation(p, checkpoint.get("key").asText(), done);

        JsonNode resumed = run(p);
        long resumedId = resumed.path("run").path("id").asLong();
        assertTrue(logsOf(resumedId).contains("resuming from the training checkpoint saved after epoch " + done + "/40"),
                "the second run goes on where the first was stopped: " + logsOf(resumedId));
        assertTrue(logsOf(resumedId).contains("deleted the training checkpoint"));
        assertEquals(checkpoint.get("key").asText(), resumed.get("steps").get(2).path("summary").path("cacheKey").asText());
        JsonNode loss = null;
        for (JsonNode curve : resumed.get("curves")) {
            if (curve.toString().contains("\"train/loss\"")) {
                loss = curve.get("points");
            }
        }
        assertEquals(40, loss == null ? 0 : loss.size(), "the epochs done before are replayed into the curves: " + loss);
        assertEquals(0, api.get("/api/cache/checkpoints").body().size(), "the stored model makes the checkpoint go");
        assertEquals(404, api.delete("/api/cache/checkpoints/" + checkpoint.get("key").asText()).status());
    }

    /**
     * The checkpoint's file, copied into the cache of a new installation (another data directory, its own history),
     * is taken up there: the key is the content of the training, not the installation, so an interrupted training can
     * be carried to another machine (docs/benchmarks.md, "Paper profile").
     */
    private void resumesOnAnotherInstallation(ObjectNode p, String key, int done) throws Exception {
        Path source = new AttackCache(server.config().cacheDir(), json).checkpointFile(key);
        Path otherHome = TestHome.create(dir.resolve("another-installation"), false, true);
        try (PurifierServer other = PurifierServer.start(TestHome.config(otherHome, Map.of("training.checkpointMinutes", "0")),
                true, EngineModelTrainer.create())) {
            Path target = new AttackCache(other.config().cacheDir(), json).checkpointFile(key);
            Files.createDirectories(target.getParent());
            Files.copy(source, target);
            ApiClient otherApi = new ApiClient(other.port(), TestHome.adminToken(otherHome));
            JsonNode listed = otherApi.get("/api/cache/checkpoints").body();
            assertEquals(1, listed.size(), listed.toString());
            assertEquals(done, listed.get(0).get("epochsDone").asInt(), listed.toString());
            JsonNode resumed = TestHome.runToSuccess(otherApi, p, 120_000);
            String logs = otherApi.get("/api/runs/" + resumed.path("run").path("id").asLong() + "/logs").raw();
            assertTrue(logs.contains("resuming from the training checkpoint saved after epoch " + done + "/40"),
                    "the other installation goes on where this one stopped: " + logs);
            assertEquals(key, resumed.get("steps").get(2).path("summary").path("cacheKey").asText());
            assertTrue(Files.exists(source), "the copy leaves this installation's checkpoint in place");
        }
    }

    private String logsOf(long runId) {
        try {
            return api.get("/api/runs/" + runId + "/logs").raw();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_trigger_larger_than_the_image_fails_the_attack_step_with_the_parameter_named() throws Exception {
        ObjectNode p = pipeline();
        ((ObjectNode) p.get("attack").get("params")).put("patchSize", 40);
        ApiClient.Response r = api.postJson("/api/runs", p);
        long id = r.body().get("id").asLong();
        JsonNode[] last = new JsonNode[1];
        TestBundles.await("run " + id, 120_000, () -> {
            try {
                last[0] = api.get("/api/runs/" + id).body();
                return last[0].path("run").path("status").asText().equals("FAILED");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(last[0].path("run").path("error").asText().contains("patchSize"), last[0].path("run").toString());
    }
}
