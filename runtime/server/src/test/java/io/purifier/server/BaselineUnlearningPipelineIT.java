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
 * Five baseline defenses as pipeline steps, end to end on tiny real data: the built-in bundles in a real Felix, real
 * HTTP, real H2; Fashion-MNIST (300 train / 100 test images), a small CNN trained one epoch on BadNets data, then
 * CLP (data-free pruning), FT-SAM, FST, I-BAU and SAU (on labeled clean data) one after the other, each with one
 * epoch or round. Checks that each step ran on the data its contract declares, was evaluated, and left its purified
 * model, curves and summary; and that the validator refuses data for the data-free CLP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BaselineUnlearningPipelineIT {

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
        ObjectNode p = TestHome.tinyBadNetsPipeline(json, 7);
        p.putArray("metrics").addObject().put("id", "c-acc");
        ((ArrayNode) p.get("metrics")).addObject().put("id", "asr");
        return p;
    }

    private void defense(ArrayNode defenses, String id, Map<String, ?> params, Double fraction) {
        ObjectNode d = defenses.addObject().put("id", id).set("params", json.valueToTree(params));
        if (fraction != null) {
            d.putObject("data").put("fraction", fraction);
        }
    }

    private static JsonNode assertDefenseStep(JsonNode run, int index, String id) {
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
    void clp_ft_sam_fst_i_bau_and_sau_purify_one_after_the_other() throws Exception {
        ObjectNode p = pipeline();
        ArrayNode defenses = p.putArray("defenses");
        defense(defenses, "clp", Map.of("u", 1.0, "uSteps", 3), null);
        defense(defenses, "ft-sam", Map.of("epochs", 1, "batchSize", 16), 0.2);
        defense(defenses, "fst", Map.of("epochs", 1, "batchSize", 16), 0.2);
        defense(defenses, "i-bau", Map.of("rounds", 1, "batchSize", 30, "fixedPointIterations", 2, "outerPortion", 0.1), 0.2);
        defense(defenses, "sau", Map.of("epochs", 1, "batchSize", 30), 0.2);
        JsonNode run = TestHome.runToSuccess(api, p, 600_000);

        JsonNode clp = assertDefenseStep(run, 3, "clp");
        assertEquals(2, clp.path("convolutions").asInt(), clp.toString());
        assertTrue(clp.path("prunedChannels").asInt() > 0, "u = 1 prunes some of the 32 + 64 channels: " + clp);
        assertEquals(60, assertDefenseStep(run, 4, "ft-sam").path("cleanImages").asInt());
        assertEquals("fc2", assertDefenseStep(run, 5, "fst").path("classifier").asText());
        assertEquals(2, assertDefenseStep(run, 6, "i-bau").path("unlearningSteps").asInt());
        assertEquals(2, assertDefenseStep(run, 7, "sau").path("unlearningSteps").asInt());

        String curves = run.get("curves").toString();
        for (String series : new String[]{"pruned channels/by u", "test by u/ASR", "schedule/rho", "perturbation/norm",
                "classifier/cosine to original", "perturbation/flip rate", "adversarial/shared rate", "loss/shared risk"}) {
            assertTrue(curves.contains(series), "curve " + series);
        }
        String logs = api.get("/api/runs/" + run.path("run").path("id").asLong() + "/logs").raw();
        assertTrue(logs.contains("defense data: none"), "CLP gets no data");
        assertTrue(logs.contains("defense data: 60 clean labeled training images"), logs);
    }

    @Test
    void the_validator_refuses_data_for_the_data_free_clp() throws Exception {
        ObjectNode p = pipeline();
        defense(p.putArray("defenses"), "clp", Map.of(), 0.05);
        ApiClient.Response r = api.postJson("/api/pipelines/validate", p);
        assertEquals(400, r.status(), r.raw());
        assertTrue(r.raw().contains("this defense uses no data"), r.raw());
        assertTrue(r.raw().contains("defenses[0].data.fraction"), r.raw());
    }
}
