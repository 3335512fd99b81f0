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
 * The three seed defenses as pipeline steps, end to end on tiny real data: the built-in bundles in a real Felix,
 * real HTTP, real H2; Fashion-MNIST (300 train / 100 test images), a small CNN trained one epoch on BadNets data,
 * then NPD and WIPER on labeled clean data, and BCU on held-out images and on the shipped out-of-distribution
 * digits, all in one run. Checks that each step ran, was evaluated and left its purified model, curves and summary.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefensePipelineIT {

    @TempDir
    static Path dir;
    PurifierServer server;
    ApiClient api;
    Path digits;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        Path home = TestHome.create(dir, false, true);
        // the digits the installation ships in conf/datasets, under this home's data root
        digits = home.resolve("data/datasets/digits").toAbsolutePath();
        FileTrees.copy(Path.of("../..").resolve(TestHome.SHIPPED_DIGITS), digits);
        server = PurifierServer.start(TestHome.config(home, Map.of()), true, EngineModelTrainer.create());
        api = new ApiClient(server.port(), TestHome.adminToken(home));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private ObjectNode pipeline() {
        ObjectNode p = TestHome.tinyBadNetsPipeline(json, 5);
        p.putArray("metrics").addObject().put("id", "c-acc");
        ((ArrayNode) p.get("metrics")).addObject().put("id", "asr");
        return p;
    }

    private JsonNode run(ObjectNode pipeline) throws Exception {
        return TestHome.runToSuccess(api, pipeline, 300_000);
    }

    private static void assertDefenseStep(JsonNode run, int index, String id) {
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
    }

    /**
     * One run, one attacked model, the four defense steps one after another: NPD and WIPER on labeled clean data, BCU
     * on held-out images, BCU on the shipped digits.
     */
    @Test
    void npd_and_wiper_on_labeled_data_then_bcu_on_held_out_images_and_on_the_shipped_digits() throws Exception {
        ObjectNode p = pipeline();
        ArrayNode defenses = p.putArray("defenses");
        defenses.addObject().put("id", "npd").<ObjectNode>set("params", json.valueToTree(
                Map.of("epochs", 1, "warmupEpochs", 1, "batchSize", 16)))
                .putObject("data").put("fraction", 0.2);
        defenses.addObject().put("id", "wiper").<ObjectNode>set("params", json.valueToTree(
                Map.of("epochs", 1, "variant", "corrected", "batchSize", 16)))
                .putObject("data").put("fraction", 0.2);
        defenses.addObject().put("id", "bcu").<ObjectNode>set("params", json.valueToTree(Map.of("epochs", 1)))
                .putObject("data").put("fraction", 0.2);
        ObjectNode ood = defenses.addObject().put("id", "bcu")
                .<ObjectNode>set("params", json.valueToTree(Map.of("epochs", 1))).putObject("data").put("fraction", 0.2);
        ood.putObject("dataset").put("id", "idx").putObject("params").put("directory", digits.toString());
        JsonNode run = run(p);

        assertDefenseStep(run, 3, "npd");
        assertDefenseStep(run, 4, "wiper");
        JsonNode npd = run.get("steps").get(3).path("summary");
        assertEquals(0, npd.path("learningRateHalvings").asInt(-1), npd.toString());
        assertTrue(npd.path("polarizerParameters").asInt() > 0, npd.toString());
        String curves = run.get("curves").toString();
        assertTrue(curves.contains("loss/L1 clean CE") && curves.contains("defense data/clean CE after the epoch"), "NPD curves");
        assertEquals("corrected", run.get("steps").get(4).path("params").path("variant").asText());

        assertDefenseStep(run, 5, "bcu");
        assertDefenseStep(run, 6, "bcu");
        String logs = api.get("/api/runs/" + run.path("run").path("id").asLong() + "/logs").raw();
        assertTrue(logs.contains("held out 60 training images"), logs);
        assertTrue(logs.contains("(out of distribution), resized to"), logs);
    }
}
