package io.purifier.engine.autograd;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** NumPy broadcasting for the {@link Tape}: result shapes, expanding a value, and summing a gradient back. */
final class Broadcasting {

    private Broadcasting() {
    }

    /** The broadcast shape of {@code a} and {@code b}. @throws IllegalArgumentException when they do not broadcast */
    static long[] shape(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** {@code v} expanded to {@code shape} (itself when the shape already matches). */
    static INDArray to(INDArray v, long[] shape) {
        if (Arrays.equals(v.shape(), shape)) {
            return v;
        }
        INDArray r = v;
        if (v.rank() < shape.length) {
            long[] padded = new long[shape.length];
            Arrays.fill(padded, 1);
            System.arraycopy(v.shape(), 0, padded, shape.length - v.rank(), v.rank());
            r = v.reshape('c', padded);
        }
        if (r.length() == 1) {
            return org.nd4j.linalg.factory.Nd4j.valueArrayOf(shape, r.getDouble(0), v.dataType());
        }
        return r.broadcast(shape);
    }

    /** The gradient {@code g} of a broadcast result summed back to an operand of shape {@code shape}. */
    static INDArray reduceTo(INDArray g, long[] shape) {
        if (Arrays.equals(g.shape(), shape)) {
            return g;
        }
        int lead = g.rank() - shape.length;
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < g.rank(); d++) {
            if (d < lead || (shape[d - lead] == 1 && g.size(d) != 1)) {
                dims.add(d);
            }
        }
        INDArray s = dims.isEmpty() ? g : g.sum(true, dims.stream().mapToInt(Integer::intValue).toArray());
        return s.reshape('c', shape);
    }
}
