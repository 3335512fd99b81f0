package io.purifier.engine.blocks;

import io.purifier.engine.autograd.Losses;
import io.purifier.engine.train.Objective;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Knowledge-distillation objective (Hinton et al., 2015): {@code KL(p_T || q_T)} averaged over the batch, where
 * {@code p_T = softmax(teacher / T)} and {@code q_T = softmax(student / T)}; optionally multiplied by {@code T²} so
 * gradients keep their scale across temperatures.
 */
public final class Distillation {

    private Distillation() {
    }

    /**
     * The objective for one batch.
     *
     * @param teacherLogits   the teacher's logits for the batch {@code [N, K]}
     * @param temperature     T &gt; 0
     * @param scaleBySquaredT whether to multiply by T²
     */
    public static Objective objective(INDArray teacherLogits, double temperature, boolean scaleBySquaredT) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        return (t, o) -> Losses.distillation(o.logits(), teacherLogits, temperature, scaleBySquaredT);
    }

    /** Plain-Java reference of the loss (for tests and reporting). */
    public static double klDivergence(INDArray teacherLogits, INDArray studentLogits, double temperature, boolean scaleBySquaredT) {
        int n = (int) teacherLogits.size(0);
        int k = (int) teacherLogits.size(1);
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] lp = logSoftmaxRow(teacherLogits, i, k, temperature);
            double[] lq = logSoftmaxRow(studentLogits, i, k, temperature);
            for (int j = 0; j < k; j++) {
                total += Math.exp(lp[j]) * (lp[j] - lq[j]);
            }
        }
        return total / n * (scaleBySquaredT ? temperature * temperature : 1.0);
    }

    private static double[] logSoftmaxRow(INDArray z, int row, int k, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z.getDouble(row, j) / t);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(z.getDouble(row, j) / t - max);
        }
        double[] out = new double[k];
        for (int j = 0; j < k; j++) {
            out[j] = z.getDouble(row, j) / t - max - Math.log(sum);
        }
        return out;
    }
}
