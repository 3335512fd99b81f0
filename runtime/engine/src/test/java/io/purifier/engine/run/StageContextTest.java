package io.purifier.engine.run;

import io.purifier.api.run.RunCancelledException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StageContextTest {

    @Test
    void maps_progress_into_the_stage_range_and_prefixes_curves_and_logs() {
        LocalRunContext step = LocalRunContext.quiet(9);
        StageContext stage = StageContext.of(step, 0.25, 0.75, "teacher ", "nad teacher: ");
        stage.progress(0.5, "epoch 1/2");
        assertEquals(0.5, step.lastProgress(), 1e-15);
        stage.progress(1.0, "epoch 2/2");
        assertEquals(0.75, step.lastProgress(), 1e-15);
        stage.progress(7, "clamped");
        assertEquals(0.75, step.lastProgress(), 1e-15);
        stage.progress(-1, "clamped");
        assertEquals(0.25, step.lastProgress(), 1e-15);
        stage.curve("train/loss", 1, 0.3);
        assertEquals(1, step.curve("teacher train/loss").size());
        assertEquals(0, step.curve("train/loss").size());
        stage.log("epoch 1/2: loss 0.3");
        stage.warn("careful");
        assertEquals("nad teacher: epoch 1/2: loss 0.3", step.logLines().get(0));
        assertEquals("WARN nad teacher: careful", step.logLines().get(1));
    }

    @Test
    void shares_seed_cancellation_and_probe_with_the_step() {
        LocalRunContext step = LocalRunContext.quiet(9).withProbe(m -> Map.of("C-ACC", 0.5));
        StageContext stage = StageContext.of(step, 0, 1, "", "");
        assertEquals(9, stage.seed());
        assertEquals(step.newRandom().nextLong(), stage.newRandom().nextLong());
        assertSame(step.artifactDir(), stage.artifactDir());
        assertTrue(stage.reportingProbe().isPresent());
        step.cancel("stop");
        assertTrue(stage.isCancelled());
        assertThrows(RunCancelledException.class, stage::checkCancelled);
    }

    @Test
    void rejects_a_range_outside_zero_one_or_reversed() {
        LocalRunContext step = LocalRunContext.quiet(1);
        assertThrows(IllegalArgumentException.class, () -> StageContext.of(step, 0.5, 0.4, "", ""));
        assertThrows(IllegalArgumentException.class, () -> StageContext.of(step, -0.1, 0.4, "", ""));
        assertThrows(IllegalArgumentException.class, () -> StageContext.of(step, 0.1, 1.1, "", ""));
    }

    @Test
    void probe_curves_record_finite_values_at_the_given_x_and_nothing_without_a_probe() {
        LocalRunContext withProbe = LocalRunContext.quiet(1).withProbe(m -> {
            Map<String, Double> v = new java.util.LinkedHashMap<>();
            v.put("C-ACC", 0.9);
            v.put("ASR", Double.NaN);
            return v;
        });
        Map<String, Double> recorded = ProbeCurves.record(null, withProbe, "prune test/", 3);
        assertEquals(Map.of("C-ACC", 0.9), recorded);
        assertEquals(3.0, withProbe.curve("prune test/C-ACC").get(0)[0], 0);
        assertEquals(0, withProbe.curve("prune test/ASR").size());
        assertTrue(ProbeCurves.record(null, LocalRunContext.quiet(1), "test/", 0).isEmpty());
    }
}
