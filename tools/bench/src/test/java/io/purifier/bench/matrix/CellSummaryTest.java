package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cells over seeds: mean and sample standard deviation computed by hand, N, failures, and the one-seed text. */
class CellSummaryTest {

    private static BenchResult run(String defense, int seed, double acc, double asr, Double pAsr, double wall) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("C-ACC", acc);
        m.put("ASR", asr);
        if (pAsr != null) {
            m.put("P-ASR", pAsr);
        }
        return new BenchResult(new BenchCell("cnn", "badnets", defense, seed), 10 + seed, "SUCCEEDED", m, wall, 1000 + seed,
                false, null);
    }

    private static BenchResult failed(String defense, int seed) {
        return new BenchResult(new BenchCell("cnn", "badnets", defense, seed), 20 + seed, "FAILED", Map.of(), 5, 0, false, "boom");
    }

    @Test
    void mean_and_sample_sd_over_three_seeds_as_computed_by_hand() {
        // C-ACC 0.90, 0.92, 0.94: mean 0.92; deviations -0.02, 0, 0.02; sd = sqrt((0.0004 + 0 + 0.0004) / 2) = 0.02
        // ASR 0.10, 0.10, 0.40: mean 0.20; deviations -0.1, -0.1, 0.2; sd = sqrt((0.01 + 0.01 + 0.04) / 2) = sqrt(0.03)
        CellSummary c = CellSummary.of(List.of(run("npd", 0, 0.90, 0.10, 0.5, 10), run("npd", 1, 0.92, 0.10, 0.6, 20),
                run("npd", 2, 0.94, 0.40, 0.7, 30)));
        assertEquals(0.92, c.metrics().get("C-ACC").mean(), 1e-12);
        assertEquals(0.02, c.metrics().get("C-ACC").sd(), 1e-12);
        assertEquals(3, c.metrics().get("C-ACC").n());
        assertEquals(0.20, c.metrics().get("ASR").mean(), 1e-12);
        assertEquals(Math.sqrt(0.03), c.metrics().get("ASR").sd(), 1e-12);
        assertEquals(20, c.wallSeconds(), 1e-12);
        assertEquals(1002, c.peakRssMb());
        assertEquals(List.of(10L, 11L, 12L), c.runIds());
        assertEquals("92.0±2.0 / 20.0±17.3 / 60.0±10.0 / – / – (N=3, 20 s, 1002 MB)",
                MatrixTables.cellText(c, MatrixTables.TABLE_METRICS));
    }

    @Test
    void one_seed_shows_plain_values_without_plus_minus_or_n() {
        BenchResult one = run("npd", 0, 0.9, 0.02, null, 12.34);
        assertEquals("90.0 / 2.0 / – / – (12 s, 1000 MB)", MatrixTables.cellText(one));
        assertEquals(0, CellSummary.of(List.of(one)).metrics().get("ASR").sd());
        assertFalse(MatrixTables.cellText(one).contains("±"));
    }

    @Test
    void failed_seeds_are_counted_and_left_out_of_the_statistics() {
        CellSummary c = CellSummary.of(List.of(run("npd", 0, 0.90, 0.10, null, 10), failed("npd", 1),
                run("npd", 2, 0.94, 0.30, null, 30)));
        assertEquals(2, c.succeeded());
        assertEquals(List.of("FAILED"), c.failed());
        assertEquals(0.92, c.metrics().get("C-ACC").mean(), 1e-12);
        assertEquals(2, c.metrics().get("C-ACC").n());
        assertTrue(MatrixTables.cellText(c, List.of("C-ACC")).endsWith("(N=2 of 3, 1 not succeeded, 20 s, 1002 MB)"),
                MatrixTables.cellText(c, List.of("C-ACC")));
        assertEquals("failed", MatrixTables.cellText(CellSummary.of(List.of(failed("npd", 0), failed("npd", 1))),
                List.of("C-ACC")));
        assertThrows(IllegalArgumentException.class, () -> CellSummary.of(List.of()));
    }

    @Test
    void tables_and_exports_group_seeds_and_show_p_asr_next_to_asr_when_measured() {
        List<BenchResult> results = List.of(run("none", 0, 0.91, 0.99, 0.99, 5), run("npd", 0, 0.90, 0.10, 0.80, 10),
                run("none", 1, 0.93, 0.97, 0.99, 5), run("npd", 1, 0.92, 0.10, 0.60, 20));
        String md = MatrixTables.markdown(results);
        assertTrue(md.contains("Cells: C-ACC / ASR / P-ASR / RA / DER in %"), md);
        assertTrue(md.contains("includes any other cell running at the same time"), "the peak's scope is stated: " + md);
        assertTrue(md.contains("| badnets | 92.0±1.4 / 98.0±1.4 / 99.0±0.0 / – / – (N=2, 5 s, 1001 MB) | "
                + "91.0±1.4 / 10.0±0.0 / 70.0±14.1 / – / – (N=2, 15 s, 1001 MB) |"), md);
        String[] summary = MatrixTables.summaryCsv(results).split("\n");
        assertEquals(3, summary.length);
        assertTrue(summary[0].startsWith("model,attack,defense,n,not_succeeded,c_acc_mean,c_acc_sd,asr_mean,asr_sd,"
                + "p_asr_mean,p_asr_sd,"), summary[0]);
        assertTrue(summary[2].startsWith("cnn,badnets,npd,2,0,0.9100,0.0141,0.1000,0.0000,0.7000,0.1414,"), summary[2]);
        ObjectNode json = MatrixTables.json(new ObjectMapper(), Map.of(), results);
        assertEquals(4, json.get("cells").size());
        assertEquals(1, json.get("cells").get(2).path("seedIndex").asInt());
        assertEquals(2, json.get("summary").size());
        assertEquals(0.7, json.get("summary").get(1).path("metrics").path("P-ASR").path("mean").asDouble(), 1e-12);
        assertEquals(2, json.get("summary").get(1).path("metrics").path("P-ASR").path("n").asInt());
        assertFalse(MatrixTables.markdown(List.of(run("npd", 0, 0.9, 0.1, null, 1))).contains("P-ASR"),
                "without the robustness measurement no P-ASR column");
    }
}
