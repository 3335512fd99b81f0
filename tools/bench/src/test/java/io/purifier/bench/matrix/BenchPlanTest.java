package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchPlanTest {

    private static final List<String> ATTACKS = List.of("badnets", "blended", "sig", "wanet");
    private static final Map<String, InstalledDefense> DEFENSES = Map.of("npd", Components.npd(), "bcu", Components.bcu(),
            "prune", Components.prune());
    private final ObjectMapper json = new ObjectMapper();

    private static DefenseSetup defaults(String id) {
        return new DefenseSetup(id, id, Map.of(), null);
    }

    @Test
    void plans_list_the_undefended_cell_first_and_override_defense_epochs_only_in_quick_mode() {
        BenchPlan quick = BenchPlan.quick(ATTACKS, List.of(defaults("npd"), defaults("bcu"), defaults("prune")));
        List<BenchCell> cells = quick.cells();
        assertEquals(16, cells.size());
        assertEquals(new BenchCell("small-cnn", "badnets", "none"), cells.get(0));
        ObjectNode npd = quick.pipeline(json, cells.get(1), DEFENSES);
        assertEquals(2, npd.path("defenses").get(0).path("params").path("epochs").asInt());
        assertEquals(0.05, npd.path("defenses").get(0).path("data").path("fraction").asDouble());
        ObjectNode bcu = quick.pipeline(json, cells.get(2), DEFENSES);
        assertEquals(2, bcu.path("defenses").get(0).path("params").path("epochs").asInt());
        assertEquals(0.1, bcu.path("defenses").get(0).path("data").path("fraction").asDouble());
        assertEquals("bench[quick] small-cnn/badnets/bcu", bcu.path("name").asText());
        ObjectNode prune = quick.pipeline(json, cells.get(3), DEFENSES);
        assertTrue(prune.path("defenses").get(0).path("params").isEmpty(), "no epochs parameter, no cap");
        assertFalse(prune.path("defenses").get(0).has("data"), "a data-free defense gets no data settings");
        assertEquals("[{\"id\":\"c-acc\"},{\"id\":\"asr\"},{\"id\":\"ra\"},{\"id\":\"der\"}]", prune.path("metrics").toString());
        assertFalse(quick.pipeline(json, cells.get(0), DEFENSES).has("defenses"));
    }

    @Test
    void a_short_schedule_caps_every_epoch_count_and_an_iteration_count_and_keeps_shorter_defaults() {
        assertEquals(Map.of("iterations", 200L), BenchPlan.shortSchedule(Components.anp(), 2), "batchSize is no schedule");
        assertEquals(Map.of("searchEpochs", 2L, "epochs", 1L), BenchPlan.shortSchedule(Components.nc(), 2));
        assertEquals(Map.of(), BenchPlan.shortSchedule(Components.prune(), 2));
        BenchPlan quick = BenchPlan.quick(ATTACKS, List.of(defaults("anp")));
        ObjectNode anp = quick.pipeline(json, new BenchCell("small-cnn", "badnets", "anp"), Map.of("anp", Components.anp()));
        assertEquals("{\"iterations\":200}", anp.path("defenses").get(0).path("params").toString());
    }

    @Test
    void the_full_plan_runs_defaults_on_the_small_cnn_and_short_defenses_on_the_resnet() {
        BenchPlan full = BenchPlan.full(ATTACKS, List.of(defaults("npd")));
        ObjectNode cnn = full.pipeline(json, new BenchCell("small-cnn", "sig", "npd"), DEFENSES);
        assertTrue(cnn.path("defenses").get(0).path("params").isEmpty(), "the full matrix runs defenses with their defaults");
        assertEquals(30_000, cnn.path("dataset").path("params").path("trainSize").asInt());
        assertEquals("adam", cnn.path("model").path("training").path("optimizer").asText());
        assertEquals(10, cnn.path("model").path("training").path("epochs").asInt());
        ObjectNode resnet = full.pipeline(json, new BenchCell("preact-resnet18-w0.125", "wanet", "npd"), DEFENSES);
        assertEquals(6_000, resnet.path("dataset").path("params").path("trainSize").asInt());
        assertEquals(2_000, resnet.path("dataset").path("params").path("testSize").asInt());
        assertEquals(2, resnet.path("defenses").get(0).path("params").path("epochs").asInt());
        assertEquals(0.125, resnet.path("model").path("architecture").path("params").path("widthMultiplier").asDouble());
        assertEquals(ATTACKS, full.describe().get("attacks"));
    }

    @Test
    void seeds_repeat_the_whole_matrix_with_the_next_seeds_and_name_their_runs_after_the_first() {
        BenchPlan quick = BenchPlan.quick(ATTACKS, List.of(defaults("npd"))).withSeeds(3);
        List<BenchCell> cells = quick.cells();
        assertEquals(3 * 8, cells.size());
        assertEquals(new BenchCell("small-cnn", "badnets", "none", 1), cells.get(8), "seed by seed, the whole matrix each");
        ObjectNode first = quick.pipeline(json, cells.get(1), DEFENSES);
        ObjectNode third = quick.pipeline(json, cells.get(17), DEFENSES);
        assertEquals("bench[quick] small-cnn/badnets/npd", first.path("name").asText(), "the first seed keeps the name");
        assertEquals(1, first.path("seed").asLong());
        assertEquals("bench[quick] small-cnn/badnets/npd seed 3", third.path("name").asText());
        assertEquals(3, third.path("seed").asLong());
        assertEquals(3, quick.describe().get("seeds"));
        assertThrows(IllegalArgumentException.class, () -> quick.withSeeds(0));
    }

    @Test
    void robustness_adds_the_retuning_attack_with_its_defaults_to_every_cell() {
        BenchPlan quick = BenchPlan.quick(ATTACKS, List.of(defaults("npd")));
        assertFalse(quick.pipeline(json, quick.cells().get(1), DEFENSES).has("robustness"), "off by default");
        BenchPlan robust = quick.withRobustness(true);
        assertEquals("{\"retune\":{}}", robust.pipeline(json, robust.cells().get(0), DEFENSES).path("robustness").toString());
        assertEquals("{\"retune\":{}}", robust.pipeline(json, robust.cells().get(1), DEFENSES).path("robustness").toString());
    }

    @Test
    void a_cell_outside_the_plan_is_refused_and_named() {
        BenchPlan quick = BenchPlan.quick(ATTACKS, List.of(defaults("npd")));
        IllegalArgumentException defense = assertThrows(IllegalArgumentException.class,
                () -> quick.pipeline(json, new BenchCell("small-cnn", "sig", "bcu"), DEFENSES));
        assertEquals("no defense column labelled bcu", defense.getMessage());
        IllegalArgumentException model = assertThrows(IllegalArgumentException.class,
                () -> quick.pipeline(json, new BenchCell("vgg", "sig", "none"), DEFENSES));
        assertEquals("no model recipe labelled vgg", model.getMessage());
    }

    @Test
    void the_shipped_bench_pipelines_train_the_full_matrix_small_cnn_recipe_so_they_share_its_attacked_models() throws Exception {
        Path dir = Path.of("../../conf/pipelines/bench");
        BenchPlan.ModelRecipe recipe = BenchPlan.full(ATTACKS, List.of()).models().get(0);
        int checked = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                var p = json.readTree(f.toFile());
                assertEquals(json.valueToTree(recipe.training()), p.path("model").path("training"), f.toString());
                assertEquals(recipe.trainSize(), p.path("dataset").path("params").path("trainSize").asInt(), f.toString());
                assertEquals(recipe.architecture(), p.path("model").path("architecture").path("id").asText(), f.toString());
                checked++;
            }
        }
        assertEquals(5, checked, "clean, badnets, blended, sig, wanet");
    }
}
