package io.purifier.defense.ftsam;

import io.purifier.engine.train.Objective;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BackdoorBench's {@code smooth_crossentropy}: the target puts {@code 1 - s} on the label and {@code s / (K - 1)} on
 * every other class, and the loss is {@code KL(target || softmax(z))} summed over classes and averaged over the
 * batch, i.e. the soft cross-entropy plus the target's (constant) negative entropy {@code sum_c t_c log t_c}.
 */
final class SmoothedCrossEntropy {

    private SmoothedCrossEntropy() {
    }

    /** The smoothed targets {@code [N, K]}. */
    static INDArray targets(int[] labels, int classes, double smoothing) {
        requireClasses(classes);
        double off = smoothing / (classes - 1);
        double[] t = new double[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            for (int c = 0; c < classes; c++) {
                t[i * classes + c] = c == labels[i] ? 1 - smoothing : off;
            }
        }
        return Nd4j.create(t, new long[]{labels.length, classes}, DataType.DOUBLE);
    }

    /** {@code sum_c t_c log t_c} of one target row (0 log 0 = 0). */
    static double negativeEntropy(int classes, double smoothing) {
        requireClasses(classes);
        double on = 1 - smoothing;
        double off = smoothing / (classes - 1);
        return xlogx(on) + (classes - 1) * xlogx(off);
    }

    /** The loss as an objective on the logits. */
    static Objective objective(int[] labels, int classes, double smoothing) {
        INDArray targets = targets(labels, classes, smoothing);
        double constant = negativeEntropy(classes, smoothing);
        return (tape, out) -> tape.softCrossEntropy(out.logits(), targets).add(constant);
    }

    private static double xlogx(double x) {
        return x == 0 ? 0 : x * Math.log(x);
    }

    private static void requireClasses(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("label smoothing needs at least 2 classes, got " + classes);
        }
    }
}
