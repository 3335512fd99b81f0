package io.purifier.engine.eval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Gathering rows of image tensors of any rank. */
public final class Batches {

    private Batches() {
    }

    /**
     * The rows {@code indices} of {@code images} ({@code [N, ...]}), in that order, as a new c-ordered array.
     * ({@code INDArray.getRows} only accepts matrices.)
     */
    public static INDArray gather(INDArray images, int[] indices) {
        long[] shape = images.shape().clone();
        long n = shape[0];
        long features = images.length() / Math.max(1, n);
        INDArray flat = images.reshape('c', n, features);
        INDArray rows = indices.length == 0 ? Nd4j.create(images.dataType(), 0, features)
                : Nd4j.pullRows(flat, 1, indices);
        shape[0] = indices.length;
        return rows.reshape('c', shape);
    }
}
