package io.purifier.format.onnx.proto;

import java.util.Arrays;

/** A growable list of {@code float}s (repeated float fields without boxing). */
public final class FloatList {

    private float[] values = new float[8];
    private int size;

    /** Appends a value. */
    public void add(float v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    /** The values. */
    public float[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
