package io.purifier.engine.run;

import io.purifier.engine.TestModels;
import io.purifier.engine.model.EngineModel;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeCurvesTest {

    private final EngineModel model = TestModels.linear(new double[][]{{1, 0}}, new double[]{0, 0});

    @Test
    void records_each_finite_probe_value_as_a_test_curve() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("C-ACC", 0.9);
        values.put("ASR", Double.NaN);
        values.put("RA", null);
        LocalRunContext ctx = LocalRunContext.quiet(1).withProbe(m -> values);
        assertEquals(Map.of("C-ACC", 0.9), ProbeCurves.record(model, ctx, "test/", 3));
        assertEquals(1, ctx.curve("test/C-ACC").size());
        assertArrayEquals(new double[]{3, 0.9}, ctx.curve("test/C-ACC").get(0), 0);
        assertTrue(ctx.curve("test/ASR").isEmpty());
        assertTrue(ctx.curve("test/RA").isEmpty());
    }

    @Test
    void does_nothing_without_a_probe() {
        LocalRunContext ctx = LocalRunContext.quiet(1);
        assertTrue(ProbeCurves.record(model, ctx, "test/", 1).isEmpty());
    }
}
