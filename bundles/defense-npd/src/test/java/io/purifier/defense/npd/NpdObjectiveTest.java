package io.purifier.defense.npd;

import io.purifier.engine.autograd.Tape;
import io.purifier.engine.autograd.Var;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The loss terms on hand-picked logits whose softmax is exact: [0, ln 2, ln 5] gives p = (1/8, 2/8, 5/8) and
 * [ln 3, 0, 0] gives p = (3/5, 1/5, 1/5).
 */
class NpdObjectiveTest {

    private static final float LN2 = (float) Math.log(2);
    private static final float LN3 = (float) Math.log(3);
    private static final float LN5 = (float) Math.log(5);

    private static INDArray z(float[][] logits) {
        return Nd4j.createFromArray(logits);
    }

    private static NpdObjective.Terms outer(Tape t, Var z, int[] y, int[] yHat, int[] wrong, int[] targets,
                                            LossWeights w) {
        return NpdObjective.outer(t, z, y, yHat, wrong, targets, w);
    }

    private static Var attack(Tape t, Var z, int[] targets) {
        return NpdObjective.attack(targets, 80).loss(t, outputsOf(z));
    }

    /** Pass outputs whose logits are {@code z} itself. */
    private static io.purifier.engine.train.PassOutputs outputsOf(Var z) {
        return io.purifier.engine.train.PassOutputs.of(z);
    }

    private static float[][] outerRows() {
        // clean rows (y = 0, y = 1), then perturbed rows of the same two samples
        return new float[][]{{0, LN2, LN5}, {LN3, 0, 0}, {0, LN2, LN5}, {LN3, 0, 0}};
    }

    @Test
    void outer_terms_match_hand_computed_values() {
        // y = (0, 1); clean prediction y^ = (0, 2); most probable wrong class y' = (2, 0); target t = (1, 2)
        Tape t = new Tape();
        NpdObjective.Terms terms = outer(t, t.leaf(z(outerRows())), new int[]{0, 1}, new int[]{0, 2}, new int[]{2, 0},
                new int[]{1, 2}, LossWeights.reference());
        double l1 = (Math.log(8) + Math.log(5)) / 2;                     // -ln(1/8), -ln(1/5)
        double l2 = (Math.log(8) + Math.log(5)) / 2;                     // y^=0 on row 3 (p 1/8), y^=2 on row 4 (p 1/5)
        double l3 = -(Math.log(1.0001 - 0.625 + 1e-12) + Math.log(1.0001 - 0.6 + 1e-12)) / 2;
        double l4 = -(Math.log(1.0001 - 0.25 + 1e-12) + Math.log(1.0001 - 0.2 + 1e-12)) / 2;
        assertEquals(l1, terms.l1().scalar(), 1e-5);
        assertEquals(l2, terms.l2().scalar(), 1e-5);
        assertEquals(l3, terms.l3().scalar(), 1e-5);
        assertEquals(l4, terms.l4().scalar(), 1e-5);
        assertEquals(1.0 * l1 + 0.4 * l2 + 0.4 * l3 + 0.4 * l4, terms.total().scalar(), 1e-5);
    }

    @Test
    void the_guard_keeps_a_certain_target_finite() {
        // p_t = 1 exactly would give -log(0); the guard gives -log(0.0001 + 1e-12)
        Tape t = new Tape();
        NpdObjective.Terms terms = outer(t, t.leaf(z(new float[][]{{0, 0, 0}, {-200, 200, -200}})), new int[]{0},
                new int[]{0}, new int[]{1}, new int[]{1}, new LossWeights(0, 0, 0, 1));
        assertEquals(-Math.log(0.0001), terms.l4().scalar(), 1e-3);
        assertEquals(-Math.log(0.0001), terms.total().scalar(), 1e-3);
    }

    @Test
    void gradient_of_the_target_term_is_q_times_onehot_minus_p_over_one_minus_q() {
        Tape tape = new Tape();
        Var z = tape.leaf(z(outerRows()));
        tape.backward(outer(tape, z, new int[]{0, 1}, new int[]{0, 2}, new int[]{2, 0}, new int[]{1, 2},
                new LossWeights(0, 0, 0, 1)).total());
        float[][] g = z.grad().toFloatMatrix();
        double[][] p = {{0.125, 0.25, 0.625}, {0.6, 0.2, 0.2}};
        int[] t = {1, 2};
        for (int row = 0; row < 2; row++) {
            assertArrayEquals(new float[3], g[row], 1e-7f, "clean rows get no gradient from L4");
            double q = p[row][t[row]];
            float[] expected = new float[3];
            for (int j = 0; j < 3; j++) {
                expected[j] = (float) (q * ((j == t[row] ? 1 : 0) - p[row][j]) / (1.0001 - q) / 2);
            }
            assertArrayEquals(expected, g[2 + row], 1e-5f);
        }
    }

    @Test
    void attack_loss_is_the_batch_mean_of_target_cross_entropy_clamped_at_the_bound() {
        float[][] rows = {{0, LN2, LN5}, {100, 0, 0}};
        Tape t = new Tape();
        Var z = t.leaf(z(rows));
        Var loss = attack(t, z, new int[]{1, 2});
        assertEquals((Math.log(4) + 80) / 2, loss.scalar(), 1e-4);
        t.backward(loss);
        float[][] g = z.grad().toFloatMatrix();
        assertArrayEquals(new float[]{0.125f / 2, (0.25f - 1) / 2, 0.625f / 2}, g[0], 1e-6f);
        assertArrayEquals(new float[3], g[1], 0f, "a clamped loss passes no gradient");
    }
}
