package io.purifier.defense.npd;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DivergenceGuardTest {

    @Test
    void the_limit_is_the_factor_times_the_reference_but_never_below_the_factor_times_ln_k() {
        assertEquals(10 * 3.0, new DivergenceGuard(10, 6, 3.0, 10).limit(), 1e-12);
        assertEquals(10 * Math.log(10), new DivergenceGuard(10, 6, 0.2, 10).limit(), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, new DivergenceGuard(0, 6, 0.2, 10).limit());
    }

    @Test
    void a_batch_diverged_when_its_clean_loss_passes_the_limit_or_any_loss_is_not_finite() {
        DivergenceGuard g = new DivergenceGuard(10, 6, 3.0, 10);
        assertFalse(g.diverged(29.9, 35));
        assertTrue(g.diverged(30.1, 35));
        assertTrue(g.diverged(1.0, Double.NaN));
        assertTrue(g.diverged(Double.POSITIVE_INFINITY, 1.0));
        DivergenceGuard off = new DivergenceGuard(0, 6, 3.0, 10);
        assertFalse(off.diverged(1e30, 1e30), "off: the reference behaviour, huge but finite losses go on");
        assertTrue(off.diverged(1.0, Double.NaN));
    }

    @Test
    void halving_counts_and_stops_with_a_clear_message_after_the_allowed_number() {
        DivergenceGuard g = new DivergenceGuard(10, 2, 3.0, 10);
        assertEquals(0.005, g.halve(0.01, 1, 40, 45), 1e-15);
        assertEquals(0.0025, g.halve(0.005, 1, 40, 45), 1e-15);
        assertEquals(2, g.halvings());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.halve(0.0025, 3, 40, 45));
        assertEquals("npd diverged in epoch 3: the clean cross-entropy reached 40.00 (limit 30.00) at learningRate "
                + "0.00250 after 2 halvings (maxHalvings 2); set a smaller learningRate", e.getMessage());
        IllegalStateException nan = assertThrows(IllegalStateException.class,
                () -> new DivergenceGuard(0, 6, 3.0, 10).halve(0.01, 2, 1.0, Double.NaN));
        assertEquals("npd diverged in epoch 2: the loss became NaN (limit Infinity) at learningRate 0.0100; "
                + "set a smaller learningRate", nan.getMessage());
    }

    @Test
    void mean_cross_entropy_matches_a_hand_computation() {
        // row 0: logits (0, ln 3), label 0 -> ln 4; row 1: the same logits, label 1 -> ln 4 - ln 3
        var logits = Nd4j.createFromArray(new float[][]{{0f, (float) Math.log(3)}, {0f, (float) Math.log(3)}});
        double expected = (Math.log(4) + Math.log(4) - Math.log(3)) / 2;
        assertEquals(expected, DivergenceGuard.meanCrossEntropy(logits, new int[]{0, 1}), 1e-6);
        // large logits stay finite (log-sum-exp)
        var big = Nd4j.createFromArray(new float[][]{{1000f, 0f}});
        assertEquals(1000.0, DivergenceGuard.meanCrossEntropy(big, new int[]{1}), 1e-3);
    }
}
