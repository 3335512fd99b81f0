package io.purifier.engine.autograd;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Row-wise log-softmax of a {@code [N, K]} matrix, stable (max subtracted), computed in double precision. */
final class Softmax {

    private Softmax() {
    }

    static INDArray logSoftmaxRows(INDArray z) {
        if (z.rank() != 2) {
            throw new IllegalArgumentException("softmax needs [N, K] values, got " + java.util.Arrays.toString(z.shape()));
        }
        int n = (int) z.size(0);
        int k = (int) z.size(1);
        double[] v = z.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble();
        double[] out = new double[v.length];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, v[i * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(v[i * k + j] - max);
            }
            double lse = max + Math.log(sum);
            for (int j = 0; j < k; j++) {
                out[i * k + j] = v[i * k + j] - lse;
            }
        }
        return Nd4j.create(out, new long[]{n, k}, 'c').castTo(z.dataType());
    }
}
