package io.purifier.defense.wiper;

import io.purifier.api.data.ImageSet;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.LocalRunContext;
import io.purifier.engine.train.Optimizer;
import io.purifier.api.data.Normalization;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Salience, selection, penalty and SGD step on a softmax regression (layer {@code fc}, W [4, 3], b [3]) against a
 * hand computation in plain Java.
 */
class HandComputedPurificationTest {

    private static final double[][] W0 = {{0.5, -1.5, 0.2}, {1.5, 0.3, -0.4}, {-0.2, 2.0, 0.1}, {0.05, -0.7, 1.2}};
    private static final double[] B0 = {0.1, -0.2, 1.3};
    private static final float[][] PIXELS = {
            {0.125f, 0.75f, 0.5f, 1.0f}, {0.875f, 0.25f, 0.0f, 0.625f},
            {0.375f, 0.5f, 0.875f, 0.125f}, {1.0f, 0.0f, 0.25f, 0.75f}};
    private static final int[] LABELS = {0, 1, 2, 1};
    private static final long ORDER_SEED = 11;

    @Test
    void warm_start_salience_is_the_ema_of_minus_gradient_times_weight_over_the_batches() {
        EngineModel model = model();
        WiperPurification purification = new WiperPurification(model, data(), params("reference", "highest-salience",
                0.01, 2, 2, 0.1), LocalRunContext.quiet(1));
        purification.warmUp(new Random(ORDER_SEED), 2, 6);

        double[] sW = new double[12];
        double[] sB = new double[3];
        for (int[] batch : BatchOrder.shuffled(4, 2, new Random(ORDER_SEED))) {
            double[][] g = gradients(batch);
            for (int i = 0; i < 12; i++) {
                sW[i] = 0.9 * sW[i] - 0.1 * g[0][i] * W0[i / 3][i % 3];
            }
            for (int j = 0; j < 3; j++) {
                sB[j] = 0.9 * sB[j] - 0.1 * g[1][j] * B0[j];
            }
        }
        assertArrayEquals(sW, purification.salience().of("fc/W"), 1e-12);
        assertArrayEquals(sB, purification.salience().of("fc/b"), 1e-12);
        assertArrayEquals(flatW0(), Arrays1d.flat(model.array("fc/W")), "the warm start does not update weights");
    }

    @ParameterizedTest(name = "{0} variant, {1}")
    @CsvSource({"reference, highest-salience", "corrected, highest-salience", "corrected, lowest-abs-salience"})
    void one_purification_step_matches_the_hand_computation(String variant, String selection) {
        double alpha = 0.05;
        double lr = 0.1;
        EngineModel model = model();
        LocalRunContext ctx = LocalRunContext.quiet(1);
        WiperPurification purification = new WiperPurification(model, data(),
                params(variant, selection, alpha, 4, 2, lr), ctx);
        Random rng = new Random(ORDER_SEED);
        purification.warmUp(rng, 1, 3);
        purification.purifyEpoch(1, rng, Optimizer.sgd(0, 0), 1, 3);

        // Warm start on the full batch, then the same batch again (no augmentation): same CE gradient.
        double[][] g = gradients(new int[]{0, 1, 2, 3});
        double[] w = concat(flatW0(), B0);
        double[] ce = concat(g[0], g[1]);
        double[] s1 = new double[15];
        for (int i = 0; i < 15; i++) {
            s1[i] = -0.1 * ce[i] * w[i];
        }
        // Epoch 1 of 2 with beta 0.5: fraction 0.75, k = 9 of the 12 weights and 2 of the 3 biases.
        boolean[] mask = concat(select(Arrays.copyOfRange(s1, 0, 12), 9, selection),
                select(Arrays.copyOfRange(s1, 12, 15), 2, selection));
        double[] s2 = new double[15];
        double[] w1 = new double[15];
        double penalty = 0;
        for (int i = 0; i < 15; i++) {
            double total = ce[i] + penaltyGradient(variant, alpha, w[i], mask[i]);
            penalty += penaltyValue(variant, alpha, w[i], mask[i]);
            s2[i] = 0.9 * s1[i] - 0.1 * total * w[i];
            w1[i] = w[i] - lr * total;
        }
        assertArrayEquals(Arrays.copyOfRange(w1, 0, 12), Arrays1d.flat(model.array("fc/W")), 1e-12);
        assertArrayEquals(Arrays.copyOfRange(w1, 12, 15), Arrays1d.flat(model.array("fc/b")), 1e-12);
        assertArrayEquals(Arrays.copyOfRange(s2, 0, 12), purification.salience().of("fc/W"), 1e-12);
        assertArrayEquals(Arrays.copyOfRange(s2, 12, 15), purification.salience().of("fc/b"), 1e-12);
        assertEquals(penalty, ctx.curve("loss/penalty").get(0)[1], 1e-12);
        assertEquals(0.75, ctx.curve("selection/fraction").get(0)[1], 1e-15);
    }

    // ------------------------------------------------------------------------------------- hand computation

    /** Mean CE gradients {dW (flattened row-major [4][3]), db} of the samples {@code batch} at W0, B0. */
    private static double[][] gradients(int[] batch) {
        double[] gW = new double[12];
        double[] gB = new double[3];
        for (int s : batch) {
            double[] x = new double[4];
            for (int i = 0; i < 4; i++) {
                x[i] = (PIXELS[s][i] - 0.5) / 0.25;
            }
            double[] z = new double[3];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 3; j++) {
                z[j] = B0[j];
                for (int i = 0; i < 4; i++) {
                    z[j] += x[i] * W0[i][j];
                }
                max = Math.max(max, z[j]);
            }
            double sum = 0;
            for (int j = 0; j < 3; j++) {
                sum += Math.exp(z[j] - max);
            }
            for (int j = 0; j < 3; j++) {
                double d = Math.exp(z[j] - max) / sum - (j == LABELS[s] ? 1 : 0);
                gB[j] += d / batch.length;
                for (int i = 0; i < 4; i++) {
                    gW[i * 3 + j] += x[i] * d / batch.length;
                }
            }
        }
        return new double[][]{gW, gB};
    }

    private static double penaltyValue(String variant, double alpha, double w, boolean selected) {
        if (variant.equals("corrected")) {
            return !selected ? 0 : Math.abs(w) <= 1 ? alpha * Math.abs(w) : alpha * Math.exp(Math.abs(w) - 1);
        }
        double masked = selected ? w : 0;
        return masked > 1 ? alpha * Math.exp(w - 1) : masked < -1 ? -alpha * Math.exp(-w - 1) : alpha * Math.abs(w);
    }

    private static double penaltyGradient(String variant, double alpha, double w, boolean selected) {
        if (variant.equals("corrected")) {
            return !selected ? 0 : Math.abs(w) <= 1 ? alpha * Math.signum(w)
                    : alpha * Math.signum(w) * Math.exp(Math.abs(w) - 1);
        }
        double masked = selected ? w : 0;
        return masked > 1 ? alpha * Math.exp(w - 1) : masked < -1 ? alpha * Math.exp(-w - 1) : alpha * Math.signum(w);
    }

    /** The k highest values, or the k lowest magnitudes (no ties in these fixtures). */
    private static boolean[] select(double[] s, int k, String selection) {
        double[] key = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            key[i] = selection.equals("highest-salience") ? s[i] : -Math.abs(s[i]);
        }
        double[] sorted = key.clone();
        Arrays.sort(sorted);
        double threshold = sorted[s.length - k];
        boolean[] out = new boolean[s.length];
        int count = 0;
        for (int i = 0; i < s.length; i++) {
            out[i] = key[i] >= threshold;
            count += out[i] ? 1 : 0;
        }
        assertEquals(k, count, "fixture salience values must not tie");
        return out;
    }

    // ------------------------------------------------------------------------------------------- fixtures

    private static EngineModel model() {
        EngineModel model = TinyModels.linear(new InputSpec(1, 2, 2, TinyData.classNames(3),
                new Normalization(new double[]{0.5}, new double[]{0.25})), 3);
        model.assign("fc/W", Nd4j.create(W0).castTo(DataType.DOUBLE));
        model.assign("fc/b", Nd4j.create(B0, new long[]{3}, 'c').castTo(DataType.DOUBLE));
        return model;
    }

    private static ImageSet data() {
        float[] flat = new float[16];
        for (int s = 0; s < 4; s++) {
            System.arraycopy(PIXELS[s], 0, flat, s * 4, 4);
        }
        return new ImageSet(Nd4j.create(flat, new long[]{4, 1, 2, 2}, 'c'), LABELS, TinyData.classNames(3));
    }

    private static WiperParams params(String variant, String selection, double alpha, int batchSize, int epochs,
                                      double lr) {
        return WiperParams.from(WiperParams.DESCRIPTOR.resolve(Map.of("variant", variant, "selection", selection,
                "layers", "fc", "alpha", alpha, "batchSize", batchSize, "epochs", epochs, "learningRate", lr,
                "cropPadding", 0)));
    }

    private static double[] flatW0() {
        double[] out = new double[12];
        for (int i = 0; i < 12; i++) {
            out[i] = W0[i / 3][i % 3];
        }
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static boolean[] concat(boolean[] a, boolean[] b) {
        boolean[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
