package io.purifier.defense.fst;

import io.purifier.engine.TestModels;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.train.Optimizer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FST's step on a linear classifier against hand-computed values, its initialisation and its projection. */
class FeatureShiftTest {

    private static final double[][] W0 = {{0.1, -0.2}, {0.3, 0.0}};
    private static final double[][] W1 = {{0.2, 0.1}, {-0.1, 0.3}};
    private static final double[] B = {0.0, 0.1};

    private static INDArray matrix(double[][] m) {
        return Nd4j.create(new double[]{m[0][0], m[0][1], m[1][0], m[1][1]}, new long[]{2, 2}, DataType.DOUBLE);
    }

    private static FeatureShift shift(EngineModel m, double alpha) {
        return new FeatureShift(ClassifierHead.of(m), matrix(W0), alpha);
    }

    @Test
    void a_step_adds_alpha_w0_to_the_gradient_then_projects_to_the_original_norm() {
        // x = (1, 2), label 0: z = x W1 + b = (0, 0.8), dL/dz = (p0 - 1, p1) with p0 = 1 / (1 + e^0.8)
        EngineModel m = TestModels.linear(W1, B);
        FeatureShift.Step s = shift(m, 0.5).step(m, TestModels.rows(new double[][]{{1, 2}}), new int[]{0}, BnMode.EVAL,
                Optimizer.sgd(0, 0), 0.1);
        double p0 = 1 / (1 + Math.exp(0.8));
        double[] d = {p0 - 1, 1 - p0};
        double[] x = {1, 2};
        double[][] stepped = new double[2][2];
        double sq = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                stepped[i][j] = W1[i][j] - 0.1 * (x[i] * d[j] + 0.5 * W0[i][j]);
                sq += stepped[i][j] * stepped[i][j];
            }
        }
        double scale = Math.sqrt(0.14) / Math.sqrt(sq);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(stepped[i][j] * scale, m.array("fc/W").getDouble(i, j), 1e-12);
            }
        }
        assertEquals(B[0] - 0.1 * d[0], m.array("fc/b").getDouble(0), 1e-12, "the bias gets the plain step");
        assertEquals(Math.log(1 + Math.exp(0.8)), s.crossEntropy(), 1e-12);
        assertEquals(0.5 * (0.02 - 0.02 - 0.03 + 0.0), s.shiftTerm(), 1e-15);
        assertEquals(Math.sqrt(0.14), m.array("fc/W").norm2Number().doubleValue(), 1e-12);
    }

    @Test
    void reinitialisation_draws_fresh_weights_at_the_original_norm_and_keeps_the_bias() {
        EngineModel m = TestModels.linear(W0, B);
        FeatureShift f = shift(m, 0.2);
        assertEquals(1.0, f.cosineToOriginal(m), 1e-12);
        f.reinitialize(m, new Random(3));
        INDArray fresh = m.array("fc/W").dup();
        assertEquals(Math.sqrt(0.14), fresh.norm2Number().doubleValue(), 1e-12);
        assertNotEquals(matrix(W0), fresh);
        assertEquals(0.1, m.array("fc/b").getDouble(1), 0);
        assertTrue(Math.abs(f.cosineToOriginal(m)) < 1);
        EngineModel again = TestModels.linear(W0, B);
        shift(again, 0.2).reinitialize(again, new Random(3));
        assertEquals(fresh, again.array("fc/W"), "the same random source gives the same weights");
    }

    @Test
    void the_projection_rescales_without_turning() {
        EngineModel m = TestModels.linear(new double[][]{{3, 0}, {4, 0}}, B);
        shift(m, 0.2).project(m);
        assertEquals(3 * Math.sqrt(0.14) / 5, m.array("fc/W").getDouble(0, 0), 1e-12);
        assertEquals(4 * Math.sqrt(0.14) / 5, m.array("fc/W").getDouble(1, 0), 1e-12);
    }
}
