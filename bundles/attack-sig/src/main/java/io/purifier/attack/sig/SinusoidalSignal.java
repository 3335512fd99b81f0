package io.purifier.attack.sig;

import java.util.function.UnaryOperator;

/**
 * SIG's backdoor signal: {@code v(i, j) = delta * sin(2 pi j f / m)} with {@code m} the image width, the same for
 * every row {@code i} and every channel, added to the image and clipped into [0, 1].
 */
final class SinusoidalSignal implements UnaryOperator<float[]> {

    private final int channels;
    private final int height;
    private final int width;
    private final float[] columnValues;

    /**
     * @param delta     the amplitude in [0, 1] pixel units (BackdoorBench's 40 on 0..255 is 40/255)
     * @param frequency {@code f}: the number of periods across the image width
     */
    SinusoidalSignal(int channels, int height, int width, double delta, double frequency) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.columnValues = new float[width];
        for (int j = 0; j < width; j++) {
            columnValues[j] = (float) (delta * Math.sin(2 * Math.PI * j * frequency / width));
        }
    }

    /** {@code v(., j)} for every column {@code j}. */
    float[] columnValues() {
        return columnValues.clone();
    }

    /** {@code clip(image + v, 0, 1)}. */
    @Override
    public float[] apply(float[] image) {
        if (image.length != channels * height * width) {
            throw new IllegalArgumentException("expected " + channels + "x" + height + "x" + width + " pixels, got "
                    + image.length);
        }
        float[] out = new float[image.length];
        for (int p = 0; p < image.length; p++) {
            out[p] = Math.min(1f, Math.max(0f, image[p] + columnValues[p % width]));
        }
        return out;
    }

    /** The signal as a picture: {@code (v / delta + 1) / 2}, so 0.5 means no change (all 0.5 when delta is 0). */
    float[] picture(double delta) {
        float[] out = new float[channels * height * width];
        for (int p = 0; p < out.length; p++) {
            out[p] = delta > 0 ? (float) ((columnValues[p % width] / delta + 1) / 2) : 0.5f;
        }
        return out;
    }
}
