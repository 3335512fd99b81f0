package io.purifier.engine.tensor;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/** Small array helpers shared by the engine's kernels and layers. */
public final class Tensors {

    private Tensors() {
    }

    /** Whether {@code a} is C-ordered with the strides of a dense array of its shape. */
    public static boolean isDense(INDArray a) {
        if (a.ordering() != 'c' && a.rank() > 1) {
            return false;
        }
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** {@code a} itself when dense and of type {@code dt}, otherwise a dense copy of that type. */
    public static INDArray dense(INDArray a, DataType dt) {
        INDArray typed = a.dataType() == dt ? a : a.castTo(dt);
        return isDense(typed) ? typed : typed.dup('c');
    }

    /** A new uninitialised dense array. */
    public static INDArray create(DataType dt, long... shape) {
        return Nd4j.createUninitialized(dt, shape, 'c');
    }

    /** Product of the dimensions. */
    public static long volume(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** {@code shape} with the first dimension replaced by {@code n}. */
    public static long[] withBatch(long[] shape, long n) {
        long[] out = shape.clone();
        out[0] = n;
        return out;
    }

    /** Shape as text, e.g. {@code [N, 3, 32, 32]} when {@code batch} is true. */
    public static String describe(long[] shape, boolean batch) {
        String s = Arrays.toString(shape);
        return batch ? "[N" + s.substring(s.indexOf(',') < 0 ? s.length() - 1 : s.indexOf(',')) : s;
    }
}
