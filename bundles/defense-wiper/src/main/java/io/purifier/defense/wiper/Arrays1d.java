package io.purifier.defense.wiper;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between parameter tensors and flat {@code double[]} in C order. */
final class Arrays1d {

    private Arrays1d() {
    }

    /** The elements of {@code a} in C order, as doubles (a copy). */
    static double[] flat(INDArray a) {
        return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
    }

    /** A C-order tensor of {@code like}'s shape and data type holding {@code values}. */
    static INDArray shaped(double[] values, INDArray like) {
        return Nd4j.create(values, like.shape(), 'c').castTo(like.dataType());
    }
}
