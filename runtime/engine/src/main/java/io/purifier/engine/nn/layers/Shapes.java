package io.purifier.engine.nn.layers;

import io.purifier.api.InvalidInputException;

import java.util.Arrays;
import java.util.List;

/** Shape checks shared by the layers. */
final class Shapes {

    private Shapes() {
    }

    static long[] only(String type, List<long[]> inputs) {
        if (inputs.size() != 1) {
            throw new InvalidInputException("layer type '" + type + "' takes one input, got " + inputs.size());
        }
        return inputs.get(0);
    }

    static long[] rank4(String type, List<long[]> inputs) {
        long[] s = only(type, inputs);
        if (s.length != 4) {
            throw new InvalidInputException("layer type '" + type + "' needs [N, C, H, W] input, got "
                    + Arrays.toString(s));
        }
        return s;
    }

    static void channels(String type, long[] shape, int expected) {
        if (shape.length < 2 || shape[1] != expected) {
            throw new InvalidInputException("layer type '" + type + "' expects " + expected + " channels, got input "
                    + Arrays.toString(shape));
        }
    }

    /** {@code [n, c, s]}: batch, channels and the product of the remaining dimensions. */
    static int[] ncs(long[] shape) {
        long s = 1;
        for (int d = 2; d < shape.length; d++) {
            s *= shape[d];
        }
        return new int[]{(int) shape[0], (int) shape[1], (int) s};
    }
}
