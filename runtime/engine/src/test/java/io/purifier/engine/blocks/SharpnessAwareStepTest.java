package io.purifier.engine.blocks;

import io.purifier.engine.TestModels;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import io.purifier.engine.train.Optimizer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The SAM step against hand-computed values on a linear classifier (whose cross-entropy gradient is
 * {@code x^T (softmax(z) - onehot(y)) / N}), against a plain-Java SAM/ASAM/GSAM reference on two images, and its
 * batch-norm and restore rules.
 */
class SharpnessAwareStepTest {

    private static final double[][] W = {{0.1, -0.2}, {0.3, 0.0}};
    private static final double[] B = {0.0, 0.1};

    @Test
    void sam_steps_with_the_gradient_at_the_normalized_ascent_point() {
        // one image x = (1, 2), label 0: z = (0.7, -0.1), dL/dz = p1 (-1, 1), so g = p1 s with
        // s = dW [[-1, 1], [-2, 2]], db [-1, 1] and ||s|| = sqrt(12); e = rho s / sqrt(12) moves z by (-6c, 6c)
        EngineModel m = TestModels.linear(W, B);
        double rho = 0.5;
        double lr = 0.1;
        SharpnessAwareStep.run(m, TestModels.rows(new double[][]{{1, 2}}), Objective.crossEntropy(new int[]{0}),
                Optimizer.sgd(0, 0), lr, new SamConfig(rho, false, 0));
        double c = rho / Math.sqrt(12);
        double p1AtAscent = 1 / (1 + Math.exp(0.8 - 12 * c));
        double[][] s = {{-1, 1}, {-2, 2}};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(W[i][j] - lr * p1AtAscent * s[i][j], m.array("fc/W").getDouble(i, j), 1e-12);
            }
        }
        assertEquals(B[0] + lr * p1AtAscent, m.array("fc/b").getDouble(0), 1e-12);
        assertEquals(B[1] - lr * p1AtAscent, m.array("fc/b").getDouble(1), 1e-12);
    }

    @Test
    void reports_the_loss_at_the_unperturbed_weights_and_the_perturbation_radius() {
        EngineModel m = TestModels.linear(W, B);
        SharpnessAwareStep.Result r = SharpnessAwareStep.run(m, TestModels.rows(new double[][]{{1, 2}}),
                Objective.crossEntropy(new int[]{0}), Optimizer.sgd(0, 0), 0.1, new SamConfig(0.5, false, 0));
        assertEquals(Math.log(1 + Math.exp(-0.8)), r.loss(), 1e-12);
        assertEquals(0.7, r.logits().getDouble(0, 0), 1e-12);
        assertEquals(0.5, r.perturbationNorm(), 1e-12);
    }

    @Test
    void sam_asam_and_gsam_match_a_plain_java_reference_on_two_images() {
        double[][] x = {{1.0, 2.0}, {-0.5, 0.3}};
        int[] y = {0, 1};
        for (SamConfig cfg : new SamConfig[]{new SamConfig(0.3, false, 0), new SamConfig(2.0, true, 0),
                new SamConfig(0.3, false, 0.4), new SamConfig(2.0, true, 0.7)}) {
            EngineModel m = TestModels.linear(W, B);
            SharpnessAwareStep.run(m, TestModels.rows(x), Objective.crossEntropy(y), Optimizer.sgd(0, 0), 0.05, cfg);
            double[] expected = referenceStep(flatten(W, B), x, y, cfg, 0.05);
            double[] actual = flatten(m);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-13, cfg + " parameter " + i);
            }
        }
    }

    @Test
    void a_zero_learning_rate_leaves_the_weights_bit_identical() {
        EngineModel m = TestModels.create("small-cnn", Map.of("width", 2, "hidden", 4), TestModels.spec(1, 8, 3), 4);
        EngineModel before = m.copy();
        INDArray x = TestModels.randomImages(5, 6, 1, 8, 8);
        SharpnessAwareStep.run(m, x, Objective.crossEntropy(new int[]{0, 1, 2, 0, 1, 2}), Optimizer.sgd(0, 0), 0.0,
                new SamConfig(2.0, true, 0));
        for (String p : m.parameterNames()) {
            assertEquals(before.array(p), m.array(p), p);
        }
    }

    @Test
    void only_the_first_pass_updates_batch_norm_running_statistics() {
        EngineModel sam = TestModels.create("vgg-small", Map.of("widthMultiplier", 0.125, "hidden", 8),
                TestModels.spec(1, 8, 3), 6);
        EngineModel single = sam.copy();
        INDArray x = TestModels.randomImages(7, 4, 1, 8, 8);
        Objective ce = Objective.crossEntropy(new int[]{0, 1, 2, 1});
        SharpnessAwareStep.run(sam, x, ce, Optimizer.sgd(0, 0), 0.0, new SamConfig(1.0, false, 0));
        try (LossPass p = LossPass.run(single, x, BnMode.TRAIN, GradientRequest.NONE, ce, true)) {
            p.loss();
        }
        for (var bn : sam.batchNormLayers()) {
            assertEquals(single.array(bn.runningMean()), sam.array(bn.runningMean()), bn.name());
            assertEquals(single.array(bn.runningVar()), sam.array(bn.runningVar()), bn.name());
        }
    }

    @Test
    void rejects_a_negative_or_undefined_radius() {
        assertThrows(IllegalArgumentException.class, () -> new SamConfig(-1, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamConfig(Double.NaN, false, 0));
        assertEquals(0.7, new SamConfig(0.1, true, 0.2).withRho(0.7).rho(), 0);
    }

    // ------------------------------------------------------------------------------ plain-Java reference

    /** Parameters as one vector: W row by row, then b. */
    private static double[] flatten(double[][] w, double[] b) {
        return new double[]{w[0][0], w[0][1], w[1][0], w[1][1], b[0], b[1]};
    }

    private static double[] flatten(EngineModel m) {
        INDArray w = m.array("fc/W");
        INDArray b = m.array("fc/b");
        return new double[]{w.getDouble(0, 0), w.getDouble(0, 1), w.getDouble(1, 0), w.getDouble(1, 1),
                b.getDouble(0), b.getDouble(1)};
    }

    /** The gradient of the mean cross-entropy of the 2x2 linear model. */
    private static double[] gradient(double[] t, double[][] x, int[] y) {
        double[] g = new double[6];
        for (int n = 0; n < x.length; n++) {
            double z0 = x[n][0] * t[0] + x[n][1] * t[2] + t[4];
            double z1 = x[n][0] * t[1] + x[n][1] * t[3] + t[5];
            double p0 = 1 / (1 + Math.exp(z1 - z0));
            double[] d = {p0 - (y[n] == 0 ? 1 : 0), (1 - p0) - (y[n] == 1 ? 1 : 0)};
            for (int j = 0; j < 2; j++) {
                g[j] += x[n][0] * d[j] / x.length;
                g[2 + j] += x[n][1] * d[j] / x.length;
                g[4 + j] += d[j] / x.length;
            }
        }
        return g;
    }

    private static double[] referenceStep(double[] t, double[][] x, int[] y, SamConfig cfg, double lr) {
        double[] g = gradient(t, x, y);
        double norm = 0;
        for (int i = 0; i < 6; i++) {
            double v = g[i] * (cfg.adaptive() ? Math.abs(t[i]) : 1);
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        double[] ascent = new double[6];
        for (int i = 0; i < 6; i++) {
            ascent[i] = t[i] + g[i] * cfg.rho() / (norm + 1e-12) * (cfg.adaptive() ? t[i] * t[i] : 1);
        }
        double[] g2 = gradient(ascent, x, y);
        if (cfg.alpha() != 0) {
            double inner = 0;
            double n1 = 0;
            double n2 = 0;
            for (int i = 0; i < 6; i++) {
                inner += g[i] * g2[i];
                n1 += g[i] * g[i];
                n2 += g2[i] * g2[i];
            }
            n1 = Math.sqrt(n1);
            n2 = Math.sqrt(n2);
            double cos = inner / (n1 * n2 + 1e-12);
            for (int i = 0; i < 6; i++) {
                g2[i] -= cfg.alpha() * (g[i] - cos * n1 * g2[i] / (n2 + 1e-12));
            }
        }
        double[] out = new double[6];
        for (int i = 0; i < 6; i++) {
            out[i] = t[i] - lr * g2[i];
        }
        return out;
    }
}
