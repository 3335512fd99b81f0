package io.purifier.format.onnx.proto;

import java.util.Arrays;

/** A growable list of {@code double}s (repeated double fields without boxing). */
public final class DoubleList {

    private double[] values = new double[8];
    private int size;

    /** Appends a value. */
    public void add(double v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    /** The values. */
    public double[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
