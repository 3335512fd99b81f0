package io.purifier.defense.npd;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * NPD's estimate of the unknown backdoor target (BackdoorBench {@code npd.py}): the clean-image logits of the
 * current polarized model with the true class's logit overwritten by a fixed value (-10, not -infinity), then
 * the argmax. So the target is the most confident wrong class, unless every wrong logit is below the
 * overwrite value, in which case it is the true class itself.
 */
final class TargetEstimation {

    private TargetEstimation() {
    }

    /**
     * Per-sample targets.
     *
     * @param logits         {@code [B, K]} clean-image logits
     * @param labels         the B true labels
     * @param trueClassLogit the value written over each row's true-class logit
     * @return B target labels; ties go to the lowest class index
     */
    static int[] perSample(INDArray logits, int[] labels, double trueClassLogit) {
        double[][] z = logits.toDoubleMatrix();
        if (z.length != labels.length) {
            throw new IllegalArgumentException(z.length + " logit rows but " + labels.length + " labels");
        }
        int[] out = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            double[] row = z[i].clone();
            row[labels[i]] = trueClassLogit;
            out[i] = argMax(row);
        }
        return out;
    }

    /**
     * One target for the whole batch: the most frequent per-sample estimate (ties: lowest class). Samples whose
     * true label is that class keep their own per-sample estimate (a class cannot be its own backdoor target).
     *
     * @param perSample  the per-sample estimates
     * @param labels     the true labels
     * @param numClasses number of classes
     */
    static int[] batchMajority(int[] perSample, int[] labels, int numClasses) {
        int[] votes = new int[numClasses];
        for (int t : perSample) {
            votes[t]++;
        }
        int majority = 0;
        for (int k = 1; k < numClasses; k++) {
            if (votes[k] > votes[majority]) {
                majority = k;
            }
        }
        int[] out = Arrays.copyOf(perSample, perSample.length);
        for (int i = 0; i < out.length; i++) {
            if (labels[i] != majority) {
                out[i] = majority;
            }
        }
        return out;
    }

    /** Index of the largest value; ties go to the lowest index. */
    static int argMax(double[] row) {
        int best = 0;
        for (int k = 1; k < row.length; k++) {
            if (row[k] > row[best]) {
                best = k;
            }
        }
        return best;
    }
}
