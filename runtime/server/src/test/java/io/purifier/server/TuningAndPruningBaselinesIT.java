package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * The baselines FT, FP, NAD, ANP and NC as pipeline steps, end to end on tiny real data: the built-in bundles in a
 * real Felix, real HTTP, real H2; Fashion-MNIST (300 train / 100 test images), a small CNN trained one epoch on
 * BadNets data (cached after the first pipeline), then each defense on 20 % labeled clean data with one epoch or a
 * few iterations. Checks that each step ran, was evaluated, left its purified model, its curves, its summary and
 * (ANP, NC) its artifacts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TuningAndPruningBaselinesIT {

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
        ObjectNode p = TestHome.tinyBadNetsPipeline(json, 5);
        ArrayNode metrics = p.putArray("metrics");
        metrics.addObject().put("id", "c-acc");
        metrics.addObject().put("id", "asr");
        return p;
    }

    private void defense(ArrayNode defenses, String id, Map<String, Object> params) {
        defenses.addObject().put("id", id).<ObjectNode>set("params", json.valueToTree(params))
                .putObject("data").put("fraction", 0.2);
    }

    private static JsonNode step(JsonNode run, int index, String id) {
        JsonNode step = run.get("steps").get(index);
        assertEquals("defense", step.path("kind").asText());
        assertEquals(id, step.path("componentId").asText());
        assertEquals("SUCCEEDED", step.path("status").asText(), step.toString());
        long metrics = 0;
        for (JsonNode m : run.get("metrics")) {
            if (m.path("stepIndex").asInt() == index) {
                metrics++;
            }
        }
        assertEquals(2, metrics, "C-ACC and ASR are evaluated after the " + id + " step");
        assertTrue(run.get("artifacts").toString().contains("\"stepIndex\":" + index), "the purified model of " + id + " is an artifact");
        return step.path("summary");
    }

    @Test
    void fine_tuning_fine_pruning_and_attention_distillation_run_one_after_another() throws Exception {
        ObjectNode p = pipeline();
        ArrayNode defenses = p.putArray("defenses");
        defense(defenses, "ft", Map.of("epochs", 1, "batchSize", 16));
        defense(defenses, "fp", Map.of("epochs", 1, "batchSize", 16));
        defense(defenses, "nad", Map.of("teacherEpochs", 1, "epochs", 1, "batchSize", 16));
        JsonNode run = TestHome.runToSuccess(api, p, 600_000);

        JsonNode ft = step(run, 3, "ft");
        assertEquals(60, ft.path("cleanImages").asInt(), ft.toString());
        assertTrue(ft.path("finalTrainLoss").asDouble() > 0, ft.toString());
        JsonNode fp = step(run, 4, "fp");
        assertEquals("relu2", fp.path("layer").asText(), fp.toString());
        assertEquals(64, fp.path("channels").asInt(), fp.toString());
        assertTrue(fp.path("prunedChannels").asInt() >= 0 && fp.path("prunedChannels").asInt() < 64, fp.toString());
        JsonNode nad = step(run, 5, "nad");
        assertEquals("pool1, pool2", nad.path("layers").asText(), nad.toString());
        String curves = run.get("curves").toString();
        assertTrue(curves.contains("prune/defense data accuracy"), "FP pruning curve");
        assertTrue(curves.contains("teacher train/loss") && curves.contains("student/attention pool2"), "NAD curves");
    }

    @Test
    void adversarial_neuron_pruning_and_neural_cleanse_report_masks_and_the_detection() throws Exception {
        ObjectNode p = pipeline();
        ArrayNode defenses = p.putArray("defenses");
        defense(defenses, "anp", Map.of("iterations", 10, "logEvery", 5, "batchSize", 16));
        defense(defenses, "nc", Map.of("searchEpochs", 2, "batchSize", 32, "epochs", 1));
        JsonNode run = TestHome.runToSuccess(api, p, 600_000);

        JsonNode anp = step(run, 3, "anp");
        assertEquals("convolution", anp.path("neuronKind").asText(), anp.toString());
        assertEquals(96, anp.path("neurons").asInt(), "32 + 64 convolution channels of the small CNN: " + anp);
        JsonNode nc = step(run, 4, "nc");
        assertTrue(nc.has("anomalyIndex") && nc.has("flaggedClasses") && nc.has("flaggedClass"), nc.toString());
        String artifacts = run.get("artifacts").toString();
        assertTrue(artifacts.contains("anp-mask-values.tsv"), artifacts);
        assertTrue(artifacts.contains("nc-mask-norms.tsv") && artifacts.contains("nc-class0-trigger.png"), artifacts);
        String curves = run.get("curves").toString();
        assertTrue(curves.contains("mask/loss") && curves.contains("detection/mask norm"), "ANP and NC curves");
    }
}
