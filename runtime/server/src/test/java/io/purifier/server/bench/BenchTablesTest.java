package io.purifier.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchTablesTest {

    private static BenchResult ok(String model, String attack, String defense, double acc, double asr, double ra, Double der) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("C-ACC", acc);
        m.put("ASR", asr);
        m.put("RA", ra);
        if (der != null) {
            m.put("DER", der);
        }
        return new BenchResult(new BenchCell(model, attack, defense), 1, "SUCCEEDED", m, 12.34, 2048, false, null);
    }

    private static final List<BenchResult> MATRIX = List.of(
            ok("cnn", "badnets", "none", 0.91, 0.99, 0.01, null),
            ok("cnn", "badnets", "npd", 0.90, 0.02, 0.85, 0.98),
            ok("cnn", "sig", "none", 0.90, 0.85, 0.10, null),
            new BenchResult(new BenchCell("cnn", "sig", "npd"), 9, "FAILED", Map.of(), 3, 100, false, "boom"),
            ok("resnet", "badnets", "none", 0.88, 0.97, 0.02, null));

    @Test
    void markdown_has_one_table_per_model_with_attack_rows_and_defense_columns() {
        String md = BenchTables.markdown(MATRIX);
        assertTrue(md.contains("### cnn\n"), md);
        assertTrue(md.contains("### resnet\n"), md);
        assertTrue(md.contains("| attack | none | npd |"), md);
        assertTrue(md.contains("| badnets | 91.0 / 99.0 / 1.0 / – (12 s, 2048 MB) | 90.0 / 2.0 / 85.0 / 98.0 (12 s, 2048 MB) |"), md);
        assertTrue(md.contains("| sig | 90.0 / 85.0 / 10.0 / – (12 s, 2048 MB) | failed |"), md);
        String resnet = md.substring(md.indexOf("### resnet"));
        assertTrue(resnet.contains("| attack | none |\n"), "a model's table only has the defenses it ran: " + resnet);
    }

    @Test
    void a_reused_run_without_an_rss_sample_says_so_instead_of_zero_megabytes() {
        BenchResult reused = new BenchResult(new BenchCell("resnet", "badnets", "bcu-ood"), 12, "SUCCEEDED",
                Map.of("C-ACC", 0.5, "ASR", 0.9, "RA", 0.05, "DER", 0.4), 100, 0, true, null);
        assertEquals("50.0 / 90.0 / 5.0 / 40.0 (100 s, RSS not sampled)", BenchTables.cellText(reused));
    }

    @Test
    void csv_has_a_row_per_cell_with_every_number() {
        String[] lines = BenchTables.csv(MATRIX).split("\n");
        assertEquals(6, lines.length);
        assertEquals("model,attack,defense,status,run_id,c_acc,asr,ra,der,wall_seconds,peak_rss_mb,reused", lines[0]);
        assertEquals("cnn,badnets,npd,SUCCEEDED,1,0.9000,0.0200,0.8500,0.9800,12.3,2048,false", lines[2]);
        assertEquals("cnn,sig,npd,FAILED,9,,,,,3.0,100,false", lines[4]);
    }

    @Test
    void json_keeps_the_setting_and_errors() {
        ObjectNode root = BenchTables.json(new ObjectMapper(), Map.of("seed", 1), MATRIX);
        assertEquals(1, root.path("setting").path("seed").asInt());
        assertEquals(5, root.get("cells").size());
        assertEquals("boom", root.get("cells").get(3).get("error").asText());
        assertEquals(0.02, root.get("cells").get(1).path("metrics").path("ASR").asDouble());
    }

    @Test
    void a_marked_section_is_replaced_in_place_or_appended() {
        String doc = "# Benchmarks\n\nintro\n<!-- bench:matrix-full:begin -->\nold\n<!-- bench:matrix-full:end -->\n\nafter\n";
        String replaced = BenchTables.replaceSection(doc, "matrix-full", "new table\n");
        assertEquals("# Benchmarks\n\nintro\n<!-- bench:matrix-full:begin -->\nnew table\n<!-- bench:matrix-full:end -->\n\nafter\n", replaced);
        String appended = BenchTables.replaceSection("# B\n", "matrix-quick", "x");
        assertEquals("# B\n\n<!-- bench:matrix-quick:begin -->\nx\n<!-- bench:matrix-quick:end -->\n", appended);
    }

    @Test
    void plans_list_the_undefended_cell_first_and_override_defense_epochs_only_in_quick_mode() {
        BenchPlan quick = BenchPlan.quick(List.of(DefenseSetup.defaults("npd"), DefenseSetup.defaults("bcu")));
        List<BenchCell> cells = quick.cells();
        assertEquals(12, cells.size());
        assertEquals(new BenchCell("small-cnn", "badnets", "none"), cells.get(0));
        ObjectMapper json = new ObjectMapper();
        var params = Map.of("npd", io.purifier.api.param.ParamDescriptor.of(io.purifier.api.param.ParamSpec.integer("epochs", 20, 1, 100, "e")),
                "bcu", io.purifier.api.param.ParamDescriptor.none());
        var contracts = Map.of("npd", io.purifier.api.defense.DataContract.labeledClean(0.05),
                "bcu", io.purifier.api.defense.DataContract.unlabeled(0.1, true));
        ObjectNode npd = quick.pipeline(json, cells.get(1), contracts, params);
        assertEquals(2, npd.path("defenses").get(0).path("params").path("epochs").asInt());
        assertEquals(0.05, npd.path("defenses").get(0).path("data").path("fraction").asDouble());
        ObjectNode bcu = quick.pipeline(json, cells.get(2), contracts, params);
        assertTrue(bcu.path("defenses").get(0).path("params").isEmpty());
        assertEquals(0.1, bcu.path("defenses").get(0).path("data").path("fraction").asDouble());
        assertEquals("bench[quick] small-cnn/badnets/bcu", bcu.path("name").asText());
        ObjectNode full = BenchPlan.full(List.of(DefenseSetup.defaults("npd"))).pipeline(json, new BenchCell("small-cnn", "sig", "npd"), contracts, params);
        assertTrue(full.path("defenses").get(0).path("params").isEmpty(), "the full matrix runs defenses with their defaults");
        assertEquals(30_000, full.path("dataset").path("params").path("trainSize").asInt());
        assertEquals("adam", full.path("model").path("training").path("optimizer").asText());
        assertEquals(10, full.path("model").path("training").path("epochs").asInt());
        ObjectNode resnet = BenchPlan.full(List.of(DefenseSetup.defaults("npd"))).pipeline(json,
                new BenchCell("preact-resnet18-w0.125", "wanet", "npd"), contracts, params);
        assertEquals(6_000, resnet.path("dataset").path("params").path("trainSize").asInt());
        assertEquals(2_000, resnet.path("dataset").path("params").path("testSize").asInt());
        assertEquals(2, resnet.path("defenses").get(0).path("params").path("epochs").asInt());
        assertEquals(0.125, resnet.path("model").path("architecture").path("params").path("widthMultiplier").asDouble());
    }

    @Test
    void the_shipped_bench_pipelines_train_the_full_matrix_small_cnn_recipe_so_they_share_its_attacked_models() throws Exception {
        ObjectMapper json = new ObjectMapper();
        java.nio.file.Path dir = java.nio.file.Path.of("../../conf/pipelines/bench");
        var recipe = BenchPlan.full(List.of()).models().get(0);
        int checked = 0;
        try (var files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files.sorted()::iterator) {
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
