package io.purifier.defense.npd;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Locale;

/**
 * Detects a diverging polarizer and decides what to do about it. Not part of the reference algorithm: SGD at
 * BackdoorBench's step size (0.01, momentum 0.9) can blow up when the polarized features have a small scale, because
 * the polarizer's frozen batch norm then multiplies every change of the 1x1 convolution by {@code gamma / sigma}.
 * The reference would silently return a model that has lost its clean accuracy; here a batch whose clean
 * cross-entropy exceeds {@link #limit()}, or whose loss is not finite, makes the training restore the polarizer of
 * the epoch's start, clear the momentum, halve the step size and repeat the epoch. A run that is still diverging
 * after {@code maxHalvings} halvings fails with an error that says so.
 */
final class DivergenceGuard {

    private final double factor;
    private final int maxHalvings;
    private final double limit;
    private int halvings;

    /**
     * @param factor        a batch diverges when its clean cross-entropy exceeds {@code factor} times the reference
     *                      (and ln K); 0 turns the guard off (non-finite losses still fail the run)
     * @param maxHalvings   how many times the step size may be halved
     * @param referenceLoss the polarized model's clean cross-entropy on the defense data before the main training
     * @param numClasses    K
     */
    DivergenceGuard(double factor, int maxHalvings, double referenceLoss, int numClasses) {
        if (factor < 0 || maxHalvings < 0) {
            throw new IllegalArgumentException("factor and maxHalvings must not be negative");
        }
        this.factor = factor;
        this.maxHalvings = maxHalvings;
        this.limit = factor == 0 ? Double.POSITIVE_INFINITY : factor * Math.max(referenceLoss, Math.log(numClasses));
    }

    /** The clean cross-entropy above which a batch counts as diverged. */
    double limit() {
        return limit;
    }

    /** Whether the guard acts at all. */
    boolean enabled() {
        return factor > 0;
    }

    /** Whether a batch with clean cross-entropy {@code cleanLoss} and total loss {@code total} diverged. */
    boolean diverged(double cleanLoss, double total) {
        return !Double.isFinite(total) || !Double.isFinite(cleanLoss) || cleanLoss > limit;
    }

    /** How many times the step size was halved so far. */
    int halvings() {
        return halvings;
    }

    /**
     * The step size to retry the epoch with.
     *
     * @throws IllegalStateException when the guard is off or the step size was already halved {@code maxHalvings}
     *                               times; the message names the epoch, the loss and the parameters to change
     */
    double halve(double learningRate, int epoch, double cleanLoss, double total) {
        if (!enabled() || halvings >= maxHalvings) {
            String what = Double.isFinite(total) ? String.format(Locale.ROOT, "the clean cross-entropy reached %.4g", cleanLoss)
                    : "the loss became " + total;
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "npd diverged in epoch %d: %s (limit %.4g) at learningRate %.3g%s; set a smaller learningRate",
                    epoch, what, limit, learningRate,
                    enabled() ? " after " + halvings + " halvings (maxHalvings " + maxHalvings + ")" : ""));
        }
        halvings++;
        return learningRate / 2;
    }

    /**
     * Mean cross-entropy of {@code logits} {@code [N, K]} against {@code labels}, computed stably in double
     * precision (log-sum-exp minus the true class's logit).
     */
    static double meanCrossEntropy(INDArray logits, int[] labels) {
        double[][] z = logits.castTo(DataType.DOUBLE).toDoubleMatrix();
        if (z.length != labels.length) {
            throw new IllegalArgumentException(z.length + " rows of logits for " + labels.length + " labels");
        }
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z[i]) {
                max = Math.max(max, v);
            }
            double exp = 0;
            for (double v : z[i]) {
                exp += Math.exp(v - max);
            }
            sum += max + Math.log(exp) - z[i][labels[i]];
        }
        return sum / z.length;
    }
}
