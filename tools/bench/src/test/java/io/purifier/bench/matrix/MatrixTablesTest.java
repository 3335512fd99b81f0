package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatrixTablesTest {

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
        String md = MatrixTables.markdown(MATRIX);
        assertTrue(md.contains("### cnn\n"), md);
        assertTrue(md.contains("### resnet\n"), md);
        assertTrue(md.contains("| attack | none | npd |"), md);
        assertTrue(md.contains("| badnets | 91.0 / 99.0 / 1.0 / – (12 s, 2048 MB) | 90.0 / 2.0 / 85.0 / 98.0 (12 s, 2048 MB) |"), md);
        assertTrue(md.contains("| sig | 90.0 / 85.0 / 10.0 / – (12 s, 2048 MB) | failed |"), md);
        String resnet = md.substring(md.indexOf("### resnet"));
        assertTrue(resnet.contains("| attack | none |\n"), "a model's table only has the defenses it ran: " + resnet);
    }

    @Test
    void an_undefended_cell_below_the_plan_s_minimum_clean_accuracy_is_flagged_in_the_cell_and_under_the_table() {
        String md = MatrixTables.markdown(MATRIX, 0.905);
        assertTrue(md.contains("| badnets | 91.0 / 99.0 / 1.0 / – (12 s, 2048 MB) | 90.0 / 2.0 / 85.0 / 98.0 (12 s, 2048 MB) |"),
                "at or above the minimum: plain; a defended cell is never flagged: " + md);
        assertTrue(md.contains("| sig | ⚠ 90.0 / 85.0 / 10.0 / – (12 s, 2048 MB) | failed |"), md);
        String cnn = md.substring(0, md.indexOf("### resnet"));
        assertTrue(cnn.endsWith("⚠ **Below the profile's minimum clean accuracy of 90.5 %** (undefended model): sig (90.0 %). "
                + "The defense cells of these rows start from a model that misses the setting.\n\n"), cnn);
        assertTrue(md.contains("| badnets | ⚠ 88.0 / 97.0"), "per model: " + md);
        assertEquals(MatrixTables.markdown(MATRIX), MatrixTables.markdown(MATRIX, 0), "no minimum, no flag");
        assertFalse(MatrixTables.markdown(MATRIX, 0).contains("⚠"));
    }

    @Test
    void the_minimum_is_judged_on_the_mean_over_seeds() {
        List<BenchResult> seeds = List.of(ok("cnn", "badnets", "none", 0.93, 0.99, 0.01, null),
                new BenchResult(new BenchCell("cnn", "badnets", "none", 1), 2, "SUCCEEDED",
                        Map.of("C-ACC", 0.90, "ASR", 0.99, "RA", 0.01), 12.34, 2048, false, null));
        assertTrue(MatrixTables.markdown(seeds, 0.92).contains("| badnets | ⚠ 91.5±2.1 /"), "mean 91.5 < 92");
        assertFalse(MatrixTables.markdown(seeds, 0.915).contains("⚠"), "mean 91.5 is not below 91.5");
    }

    @Test
    void a_reused_run_without_an_rss_sample_says_so_instead_of_zero_megabytes() {
        BenchResult reused = new BenchResult(new BenchCell("resnet", "badnets", "bcu-ood"), 12, "SUCCEEDED",
                Map.of("C-ACC", 0.5, "ASR", 0.9, "RA", 0.05, "DER", 0.4), 100, 0, true, null);
        assertEquals("50.0 / 90.0 / 5.0 / 40.0 (100 s, RSS not sampled)", MatrixTables.cellText(reused));
    }

    @Test
    void csv_has_a_row_per_cell_with_every_number() {
        String[] lines = MatrixTables.csv(MATRIX).split("\n");
        assertEquals(6, lines.length);
        assertEquals("model,attack,defense,seed_index,status,run_id,c_acc,asr,p_asr,p_c_acc,ra,der,wall_seconds,"
                + "peak_rss_mb,reused", lines[0]);
        assertEquals("cnn,badnets,npd,0,SUCCEEDED,1,0.9000,0.0200,,,0.8500,0.9800,12.3,2048,false", lines[2]);
        assertEquals("cnn,sig,npd,0,FAILED,9,,,,,,,3.0,100,false", lines[4]);
    }

    @Test
    void json_keeps_the_setting_and_errors() {
        ObjectNode root = MatrixTables.json(new ObjectMapper(), Map.of("seed", 1), MATRIX);
        assertEquals(1, root.path("setting").path("seed").asInt());
        assertEquals(5, root.get("cells").size());
        assertEquals("boom", root.get("cells").get(3).get("error").asText());
        assertEquals(0.02, root.get("cells").get(1).path("metrics").path("ASR").asDouble());
    }

    @Test
    void peaks_of_an_earlier_export_are_read_back_by_run_id() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode export = MatrixTables.json(json, Map.of(), List.of(MATRIX.get(0),
                new BenchResult(new BenchCell("cnn", "sig", "none"), 7, "SUCCEEDED", Map.of(), 1, 0, true, null),
                new BenchResult(new BenchCell("cnn", "sig", "npd"), 2, "SUCCEEDED", Map.of(), 1, 900, true, null,
                        "k", true)));
        assertEquals(Map.of(1L, 2048.0), MatrixTables.peaks(export),
                "cells without a sample are left out, and so are cells of the record (their run ids are another history's)");
        assertEquals(Map.of(), MatrixTables.peaks(json.createObjectNode()));
    }
}
