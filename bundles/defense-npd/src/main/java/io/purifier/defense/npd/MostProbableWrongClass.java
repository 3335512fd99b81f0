package io.purifier.defense.npd;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The class {@code y'} of NPD's third loss term (BackdoorBench {@code npd.py}): per sample, the top-1 class of the
 * perturbed image's prediction if it differs from the true label, otherwise the top-2 class. Softmax keeps the
 * order of the logits, so the rule is applied to logits.
 */
final class MostProbableWrongClass {

    private MostProbableWrongClass() {
    }

    /**
     * @param logits {@code [B, K]} logits of the perturbed images, K at least 2
     * @param labels the B true labels
     * @return B class indices, never equal to the sample's label
     */
    static int[] of(INDArray logits, int[] labels) {
        double[][] z = logits.toDoubleMatrix();
        if (z.length != labels.length) {
            throw new IllegalArgumentException(z.length + " logit rows but " + labels.length + " labels");
        }
        int[] out = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            double[] row = z[i];
            int first = TargetEstimation.argMax(row);
            if (first != labels[i]) {
                out[i] = first;
                continue;
            }
            int second = first == 0 ? 1 : 0;
            for (int k = 0; k < row.length; k++) {
                if (k != first && row[k] > row[second]) {
                    second = k;
                }
            }
            out[i] = second;
        }
        return out;
    }
}
