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
        assertEquals(Map.of("iterations", 200L), ShortSchedule.of(Components.anp(), 2), "batchSize is no schedule");
        assertEquals(Map.of("searchEpochs", 2L, "epochs", 1L), ShortSchedule.of(Components.nc(), 2));
        assertEquals(Map.of(), ShortSchedule.of(Components.prune(), 2));
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
        assertFalse(json.valueToTree(full.describe()).path("models").get(0).has("attackTraining"),
                "the setting of plans without per-attack training reads as before");
        assertEquals("{\"wanet\":{\"schedule\":\"constant\"}}", json.valueToTree(BenchPlan.paper(ATTACKS, List.of()).describe())
                .path("models").get(0).path("attackTraining").toString());
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
    void the_paper_plan_trains_the_w05_resnet_on_all_images_with_backdoorbench_s_recipe() {
        BenchPlan paper = BenchPlan.paper(ATTACKS, List.of(defaults("npd"), defaults("bcu")));
        assertEquals(1, paper.models().size());
        BenchPlan.ModelRecipe model = paper.models().get(0);
        assertEquals("preact-resnet18-w0.5", model.label());
        assertEquals(0, model.defenseEpochs(), "no short-schedule cap");
        ObjectNode none = paper.pipeline(json, new BenchCell(model.label(), "badnets", "none"), DEFENSES);
        assertEquals("bench[paper] preact-resnet18-w0.5/badnets/none", none.path("name").asText());
        assertEquals("{\"trainSize\":0,\"testSize\":0}", none.path("dataset").path("params").toString(), "all images");
        assertEquals("{\"id\":\"preact-resnet18\",\"params\":{\"widthMultiplier\":0.5}}",
                none.path("model").path("architecture").toString());
        assertEquals("{\"epochs\":100,\"optimizer\":\"sgd\",\"learningRate\":0.01,\"momentum\":0.9,\"weightDecay\":5.0E-4,"
                + "\"schedule\":\"cosine\",\"batchSize\":128,\"augment\":true}", none.path("model").path("training").toString());
        ObjectNode wanet = paper.pipeline(json, new BenchCell(model.label(), "wanet", "none"), DEFENSES);
        assertEquals("{\"epochs\":100,\"optimizer\":\"sgd\",\"learningRate\":0.01,\"momentum\":0.9,\"weightDecay\":5.0E-4,"
                + "\"schedule\":\"constant\",\"batchSize\":128,\"augment\":true}", wanet.path("model").path("training").toString(),
                "BackdoorBench's WaNet config keeps the rate constant over its 100 epochs");
        assertEquals("cosine", paper.pipeline(json, new BenchCell(model.label(), "sig", "npd"), DEFENSES)
                .path("model").path("training").path("schedule").asText(), "the other attacks, defended or not: cosine");
        assertEquals(0.92, paper.minCleanAccuracy());
        assertEquals(0.92, paper.describe().get("minCleanAccuracy"));
        assertEquals(0.0, BenchPlan.full(ATTACKS, List.of()).minCleanAccuracy(), "the other profiles have no minimum");
        assertFalse(BenchPlan.full(ATTACKS, List.of()).describe().containsKey("minCleanAccuracy"));
        assertEquals(604_800, none.path("limits").path("stepTimeoutSeconds").asInt(),
                "a 100-epoch attacked model outlasts the server's default step limit of 6 h");
        assertEquals(604_800, paper.withSeeds(3).withRobustness(true).pipeline(json,
                new BenchCell(model.label(), "sig", "npd"), DEFENSES).path("limits").path("stepTimeoutSeconds").asInt());
        assertFalse(BenchPlan.full(ATTACKS, List.of()).pipeline(json, new BenchCell("small-cnn", "sig", "none"), DEFENSES)
                .has("limits"), "the other profiles keep the server's limit (and their recorded pipelines)");
    }

    @Test
    void the_paper_plan_runs_every_defense_at_its_reference_schedule_with_the_usual_data_fractions() {
        BenchPlan paper = BenchPlan.paper(ATTACKS, List.of(defaults("npd"), defaults("bcu"), defaults("anp"), defaults("prune"),
                new DefenseSetup("npd-identity", "npd", Map.of("batchNormStart", "identity"), null)));
        Map<String, InstalledDefense> installed = Map.of("npd", Components.npd(), "bcu", Components.bcu(),
                "anp", Components.anp(), "prune", Components.prune());
        ObjectNode npd = paper.pipeline(json, new BenchCell("preact-resnet18-w0.5", "sig", "npd"), installed);
        assertEquals("{\"epochs\":50}", npd.path("defenses").get(0).path("params").toString(), "NPD's reference 50 epochs");
        assertEquals(0.05, npd.path("defenses").get(0).path("data").path("fraction").asDouble());
        ObjectNode bcu = paper.pipeline(json, new BenchCell("preact-resnet18-w0.5", "sig", "bcu"), installed);
        assertEquals("{\"epochs\":100}", bcu.path("defenses").get(0).path("params").toString(), "BCU's reference 100");
        assertEquals(0.10, bcu.path("defenses").get(0).path("data").path("fraction").asDouble());
        ObjectNode anp = paper.pipeline(json, new BenchCell("preact-resnet18-w0.5", "sig", "anp"), installed);
        assertEquals("{}", anp.path("defenses").get(0).path("params").toString(), "ANP's default 2,000 iterations, uncapped");
        ObjectNode variant = paper.pipeline(json, new BenchCell("preact-resnet18-w0.5", "sig", "npd-identity"), installed);
        assertEquals("{\"epochs\":50,\"batchNormStart\":\"identity\"}", variant.path("defenses").get(0).path("params").toString(),
                "a variant column keeps the reference schedule");
        assertTrue(paper.pipeline(json, new BenchCell("preact-resnet18-w0.5", "sig", "prune"), installed)
                .path("defenses").get(0).path("params").isEmpty());
        InstalledDefense oldNpd = Components.defense("""
                {"id": "npd", "kind": "defense", "parameters": [],
                 "dataContract": {"kind": "LABELED_CLEAN", "defaultFraction": 0.05}}""");
        assertTrue(paper.pipeline(json, new BenchCell("preact-resnet18-w0.5", "sig", "npd"), Map.of("npd", oldNpd))
                .path("defenses").get(0).path("params").isEmpty(), "a schedule parameter the installed version lacks is left out");
        assertEquals(Map.of("epochs", 100), PaperProfile.REFERENCE_SCHEDULES.get("sau"));
        assertEquals(List.of("badnets", "blended", "sig", "wanet"), paper.attacks());
    }

    @Test
    void the_paper_check_runs_the_paper_cells_with_one_epoch_everywhere_and_no_accuracy_minimum() {
        List<DefenseSetup> columns = List.of(defaults("npd"), defaults("bcu"), defaults("anp"), defaults("prune"));
        Map<String, InstalledDefense> installed = Map.of("npd", Components.npd(), "bcu", Components.bcu(),
                "anp", Components.anp(), "prune", Components.prune());
        BenchPlan paper = BenchPlan.paper(ATTACKS, columns);
        BenchPlan check = BenchPlan.of("paper-check", ATTACKS, columns);
        assertEquals("paper-check", check.name());
        assertEquals(paper.cells(), check.cells(), "the same cells: model label, attacks and defense columns");
        ObjectNode none = check.pipeline(json, new BenchCell("preact-resnet18-w0.5", "badnets", "none"), installed);
        ObjectNode paperNone = paper.pipeline(json, new BenchCell("preact-resnet18-w0.5", "badnets", "none"), installed);
        assertEquals(paperNone.path("dataset"), none.path("dataset"), "all images");
        assertEquals(paperNone.path("model").path("architecture"), none.path("model").path("architecture"));
        assertEquals("{\"epochs\":1,\"optimizer\":\"sgd\",\"learningRate\":0.01,\"momentum\":0.9,\"weightDecay\":5.0E-4,"
                + "\"schedule\":\"cosine\",\"batchSize\":128,\"augment\":true}", none.path("model").path("training").toString(),
                "BackdoorBench's recipe for one epoch");
        assertEquals("constant", check.pipeline(json, new BenchCell("preact-resnet18-w0.5", "wanet", "none"), installed)
                .path("model").path("training").path("schedule").asText());
        ObjectNode npd = check.pipeline(json, new BenchCell("preact-resnet18-w0.5", "sig", "npd"), installed);
        assertEquals(1, npd.path("defenses").get(0).path("params").path("epochs").asInt(), "NPD's 50 epochs capped at 1");
        assertEquals(0.05, npd.path("defenses").get(0).path("data").path("fraction").asDouble());
        ObjectNode bcu = check.pipeline(json, new BenchCell("preact-resnet18-w0.5", "sig", "bcu"), installed);
        assertEquals(1, bcu.path("defenses").get(0).path("params").path("epochs").asInt());
        assertEquals(0.10, bcu.path("defenses").get(0).path("data").path("fraction").asDouble(), "BCU's held-out data");
        assertEquals("{\"iterations\":100}", check.pipeline(json, new BenchCell("preact-resnet18-w0.5", "sig", "anp"), installed)
                .path("defenses").get(0).path("params").toString(), "ANP's 2,000 iterations capped at 100");
        assertEquals(0.0, check.minCleanAccuracy(), "1-epoch models are not held to the profile's 92 %");
        assertFalse(none.has("limits"), "minutes per cell: the server's step limit");
    }

    @Test
    void profiles_are_chosen_by_name_and_an_unknown_one_names_the_choices() {
        assertEquals("quick", BenchPlan.of("quick", ATTACKS, List.of()).name());
        assertEquals("full", BenchPlan.of("full", ATTACKS, List.of()).name());
        assertEquals("paper", BenchPlan.of("paper", ATTACKS, List.of()).name());
        assertEquals("paper-check", BenchPlan.of("paper-check", ATTACKS, List.of()).name());
        assertEquals("unknown profile 'papers' for --profile; the profiles are full, quick, paper, paper-check",
                assertThrows(IllegalArgumentException.class, () -> BenchPlan.of("papers", ATTACKS, List.of())).getMessage());
        assertEquals(0.92, BenchPlan.paper(ATTACKS, List.of()).withSeeds(3).withRobustness(true).minCleanAccuracy(),
                "seeds and robustness keep the minimum");
        assertEquals("a plan's minimum clean accuracy is a fraction from 0 to 1, not 92.0",
                assertThrows(IllegalArgumentException.class, () -> new BenchPlan("x", 1, "d", List.of(), ATTACKS, List.of(),
                        0.05, 0.1, 1, false, Map.of(), 92, 0)).getMessage());
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
