package io.purifier.engine.zoo;

import io.purifier.api.InvalidInputException;

/** Shape arithmetic shared by the architectures. */
final class Sizes {

    private Sizes() {
    }

    /** Output size of a convolution with symmetric padding (floor), as in PyTorch. */
    static int conv(int size, int kernel, int stride, int padding) {
        return (size + 2 * padding - kernel) / stride + 1;
    }

    /** Channels after applying a width multiplier: {@code max(1, round(base * multiplier))}. */
    static int scaled(int base, double multiplier) {
        return Math.max(1, (int) Math.round(base * multiplier));
    }

    /** Fails when the input is smaller than {@code minimum} pixels on a side. */
    static void requireAtLeast(String architecture, InputSpec input, int minimum) {
        if (input.height() < minimum || input.width() < minimum) {
            throw new InvalidInputException("architecture '" + architecture + "' needs images of at least "
                    + minimum + "x" + minimum + " pixels, got " + input.height() + "x" + input.width());
        }
    }
}
