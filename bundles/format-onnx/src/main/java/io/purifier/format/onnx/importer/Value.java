package io.purifier.format.onnx.importer;

import java.util.Arrays;

/**
 * What an ONNX value name stands for during import: a constant known at import time ({@link ConstValue}: weights,
 * shapes and everything computed from constants only), or a tensor the engine computes from the input
 * ({@link Dyn}).
 */
sealed interface Value permits ConstValue, Value.Dyn {

    /**
     * A tensor computed by the engine network.
     *
     * @param node  the engine node producing it
     * @param shape its shape with the batch as dimension 0 (computed with a batch of 1)
     */
    record Dyn(String node, long[] shape) implements Value {

        /** The rank. */
        int rank() {
            return shape.length;
        }

        /** Values per sample (the product of the dimensions after the batch). */
        long perSample() {
            long n = 1;
            for (int d = 1; d < shape.length; d++) {
                n *= shape[d];
            }
            return n;
        }

        /** The shape as text with {@code N} for the batch. */
        String describe() {
            String s = Arrays.toString(shape);
            return "[N" + (shape.length > 1 ? s.substring(s.indexOf(',')) : "]");
        }
    }
}
