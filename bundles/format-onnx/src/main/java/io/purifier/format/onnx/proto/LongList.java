package io.purifier.format.onnx.proto;

import java.util.Arrays;

/** A growable list of {@code long}s (repeated integer fields without boxing). */
public final class LongList {

    private long[] values = new long[8];
    private int size;

    /** Appends a value. */
    public void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    /** The values. */
    public long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
