package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.client.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        server = PurifierServer.start(TestHome.config(home, Map.of()), true, EngineModelTrainer.create());
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

        JsonNode entries = api.get("/api/cache").body();
        assertEquals(1, entries.size(), entries.toString());
        String key = entries.get(0).get("key").asText();
        assertEquals(204, api.delete("/api/cache/" + key).status());
        assertEquals(0, api.get("/api/cache").body().size());
    }

    @Test
    void a_trigger_larger_than_the_image_fails_the_attack_step_with_the_parameter_named() throws Exception {
        ObjectNode p = pipeline();
        ((ObjectNode) p.get("attack").get("params")).put("patchSize", 40);
        ApiClient.Response r = api.postJson("/api/runs", p);
        long id = r.body().get("id").asLong();
        JsonNode[] last = new JsonNode[1];
        TestBundles.await("run " + id, 60_000, () -> {
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
