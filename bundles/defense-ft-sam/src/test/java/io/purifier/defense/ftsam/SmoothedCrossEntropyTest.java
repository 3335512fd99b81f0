package io.purifier.defense.ftsam;

import io.purifier.engine.autograd.Tape;
import io.purifier.engine.train.Objective;
import io.purifier.engine.train.PassOutputs;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SmoothedCrossEntropyTest {

    private static double value(Objective o, double[][] logits) {
        Tape t = new Tape();
        INDArray z = Nd4j.create(new double[]{logits[0][0], logits[0][1], logits[0][2], logits[1][0], logits[1][1],
                logits[1][2]}, new long[]{2, 3}, DataType.DOUBLE);
        return o.loss(t, PassOutputs.of(t.leaf(z))).scalar();
    }

    @Test
    void targets_move_the_smoothing_share_evenly_to_the_other_classes() {
        INDArray t = SmoothedCrossEntropy.targets(new int[]{2, 0}, 3, 0.1);
        assertArrayEquals(new double[]{0.05, 0.05, 0.9}, t.getRow(0).toDoubleVector(), 1e-15);
        assertArrayEquals(new double[]{0.9, 0.05, 0.05}, t.getRow(1).toDoubleVector(), 1e-15);
    }

    @Test
    void the_loss_is_the_kl_divergence_from_the_smoothed_target() {
        // row 1: z = (1, 0, 0), label 0: p = (e, 1, 1) / (e + 2); row 2: z = (0, 2, 0), label 2: p = (1, e^2, 1) / (e^2 + 2)
        double[][] z = {{1, 0, 0}, {0, 2, 0}};
        double e = Math.E;
        double[] p1 = {e / (e + 2), 1 / (e + 2), 1 / (e + 2)};
        double[] p2 = {1 / (e * e + 2), e * e / (e * e + 2), 1 / (e * e + 2)};
        double[] t1 = {0.9, 0.05, 0.05};
        double[] t2 = {0.05, 0.05, 0.9};
        double kl = 0;
        for (int c = 0; c < 3; c++) {
            kl += t1[c] * Math.log(t1[c] / p1[c]) + t2[c] * Math.log(t2[c] / p2[c]);
        }
        assertEquals(kl / 2, value(SmoothedCrossEntropy.objective(new int[]{0, 2}, 3, 0.1), z), 1e-12);
        assertEquals(0.9 * Math.log(0.9) + 2 * 0.05 * Math.log(0.05), SmoothedCrossEntropy.negativeEntropy(3, 0.1), 1e-15);
    }

    @Test
    void without_smoothing_it_is_the_plain_cross_entropy() {
        double[][] z = {{1, 0, 0}, {0, 2, 0}};
        assertEquals(value(Objective.crossEntropy(new int[]{0, 2}), z),
                value(SmoothedCrossEntropy.objective(new int[]{0, 2}, 3, 0.0), z), 1e-15);
        assertEquals(0.0, SmoothedCrossEntropy.negativeEntropy(3, 0.0), 0);
    }

    @Test
    void needs_two_classes() {
        assertThrows(IllegalArgumentException.class, () -> SmoothedCrossEntropy.targets(new int[]{0}, 1, 0.1));
    }
}
