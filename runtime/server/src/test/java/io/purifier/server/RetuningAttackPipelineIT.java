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
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Post-purification robustness end to end: a pipeline with {@code robustness.retune} runs in a worker process (the
 * setting travels in the worker ticket), on tiny real data (Fashion-MNIST, 300 train / 100 test images, small CNN
 * trained three epochs with Adam on BadNets data, then fine-tuning as the defense). The retuning set is all poisoned here, so a
 * real retune of a copy makes that copy answer the target class for nearly everything: P-ASR near 1 and P-C-ACC near
 * one class's share, far from the step's own C-ACC (a retune that did nothing, or measured the step's model, fails).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetuningAttackPipelineIT {

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
        ObjectNode p = TestHome.tinyBadNetsPipeline(json, 9);
        // Adam for 3 epochs (the benchmark recipe): one SGD epoch on 300 images can leave a model that answers the
        // target class for everything already, and then the retune has nothing left to change
        ((ObjectNode) p.path("model").path("training")).put("epochs", 3).put("optimizer", "adam")
                .put("learningRate", 0.001).put("augment", false);
        p.putArray("metrics").add(json.createObjectNode().put("id", "c-acc")).add(json.createObjectNode().put("id", "asr"));
        p.putArray("defenses").addObject().put("id", "ft").<ObjectNode>set("params",
                json.valueToTree(Map.of("epochs", 1, "batchSize", 16))).putObject("data").put("fraction", 0.2);
        p.putObject("robustness").putObject("retune").put("images", 40).put("poisonRatio", 1.0).put("epochs", 5)
                .put("learningRate", 0.05).put("batchSize", 20);
        return p;
    }

    /** Metric name → value of step {@code index}. */
    private static Map<String, Double> metrics(JsonNode run, int index) {
        Map<String, Double> out = new HashMap<>();
        for (JsonNode m : run.get("metrics")) {
            if (m.path("stepIndex").asInt() == index) {
                out.put(m.path("name").asText(), m.path("value").asDouble());
            }
        }
        return out;
    }

    @Test
    void the_model_step_and_every_defense_step_record_the_retuned_copys_asr_and_clean_accuracy() throws Exception {
        JsonNode run = TestHome.runToSuccess(api, pipeline(), 600_000);
        for (int step : new int[]{2, 3}) {
            Map<String, Double> m = metrics(run, step);
            assertTrue(m.keySet().containsAll(java.util.List.of("C-ACC", "ASR", "P-ASR", "P-C-ACC")), step + ": " + m);
            assertTrue(m.get("P-ASR") >= 0.9, "an all-poisoned retune plants the trigger in the copy: " + m);
            assertTrue(m.get("P-C-ACC") <= 0.3 && m.get("P-C-ACC") < m.get("C-ACC") - 0.2,
                    "the copy answers the target class for nearly everything, the step's model does not: " + m);
        }
        String logs = api.get("/api/runs/" + run.path("run").path("id").asLong() + "/logs").raw();
        assertTrue(logs.contains("retuning attack on the undefended model: 40 images (40 poisoned), 5 epochs"), logs);
        assertTrue(logs.contains("retuning attack on the purified model: 40 images (40 poisoned), 5 epochs"), logs);
        assertTrue(run.get("curves").toString().contains("retune/train/loss"), "the retune's curves go under retune/");
        JsonNode ticket = run.path("spec").path("robustness").path("retune");
        assertEquals(40, ticket.path("images").asInt(), run.path("spec").toString());
    }

    @Test
    void a_pipeline_without_an_attack_is_refused_naming_robustness() throws Exception {
        ObjectNode p = pipeline();
        p.remove("attack");
        ApiClient.Response r = api.postJson("/api/pipelines/validate", p);
        assertEquals(400, r.status(), r.raw());
        assertTrue(r.raw().contains("\"parameter\":\"robustness\"") && r.raw().contains("needs an attack"), r.raw());
        ObjectNode outOfBounds = pipeline();
        ((ObjectNode) outOfBounds.get("robustness").get("retune")).put("momentum", 1.5).put("banana", 1);
        ApiClient.Response bad = api.postJson("/api/pipelines/validate", outOfBounds);
        assertEquals(400, bad.status(), bad.raw());
        assertTrue(bad.raw().contains("robustness.retune.momentum") && bad.raw().contains("robustness.retune.banana"),
                bad.raw());
    }
}
