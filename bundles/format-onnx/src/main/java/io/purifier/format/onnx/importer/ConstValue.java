package io.purifier.format.onnx.importer;

import io.purifier.format.onnx.proto.OnnxTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * A constant tensor: an initializer or {@code Constant} (read lazily from the file, so large weights are converted
 * once, straight to floats) or the result of folding constants at import time. Values are doubles; integers are
 * exact up to 2^53, which covers every shape and index. A dimension read from the input's batch size is
 * {@link #BATCH} (NaN), so that shape arithmetic keeps the batch symbolic.
 */
final class ConstValue implements Value {

    /** The symbolic batch size in shape values. */
    static final double BATCH = Double.NaN;

    private final long[] dims;
    private final OnnxTensor source;
    private final boolean integer;
    private double[] values;

    private ConstValue(long[] dims, OnnxTensor source, double[] values, boolean integer) {
        this.dims = dims.clone();
        this.source = source;
        this.values = values;
        this.integer = integer;
    }

    /** A constant backed by a tensor of the file. */
    static ConstValue of(OnnxTensor tensor) {
        tensor.elementCount();
        return new ConstValue(tensor.dims(), tensor, null, !tensor.isFloatingPoint());
    }

    /** A computed constant. */
    static ConstValue of(long[] dims, double[] values, boolean integer) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(dims));
        }
        return new ConstValue(dims, null, values, integer);
    }

    /** An integer vector (a shape or a list of indices). */
    static ConstValue ofLongs(long... values) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i];
        }
        return of(new long[]{values.length}, v, true);
    }

    long[] dims() {
        return dims.clone();
    }

    int rank() {
        return dims.length;
    }

    int size() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    /** Whether the element type is an integer type. */
    boolean integer() {
        return integer;
    }

    /** The values (row-major). */
    double[] values() {
        if (values == null) {
            values = source.toDoubles();
        }
        return values;
    }

    /** The values as whole numbers; {@link #BATCH} becomes {@code Long.MIN_VALUE}. */
    long[] longs(String what) {
        double[] v = values();
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) {
                out[i] = Long.MIN_VALUE;
            } else if (v[i] != Math.rint(v[i])) {
                throw new IllegalArgumentException(what + " must be whole numbers, got " + v[i]);
            } else {
                out[i] = v[i] >= 9.2e18 ? Long.MAX_VALUE : v[i] <= -9.2e18 ? Long.MIN_VALUE + 1 : (long) v[i];
            }
        }
        return out;
    }

    /** The single value of a scalar or one-element tensor. */
    double scalar(String what) {
        if (size() != 1) {
            throw new IllegalArgumentException(what + " must be a single value, got shape " + Arrays.toString(dims));
        }
        return values()[0];
    }

    /** The values as a FLOAT array of the given shape (converted straight from the file for initializers). */
    INDArray array(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != size()) {
            throw new IllegalArgumentException("cannot use a constant of shape " + Arrays.toString(dims) + " as "
                    + Arrays.toString(shape));
        }
        float[] f;
        if (values == null) {
            f = source.toFloats();
        } else {
            f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
        }
        return Nd4j.create(f, shape, 'c').castTo(DataType.FLOAT);
    }

    /** The shape as text. */
    String describe() {
        return Arrays.toString(dims);
    }
}
