package io.purifier.attack.blended;

import java.util.Random;
import java.util.function.UnaryOperator;

/** Blends a fixed pattern {@code k} into images: {@code x' = (1 - alpha) * x + alpha * k}, pixel by pixel. */
final class BlendTrigger implements UnaryOperator<float[]> {

    private final float[] pattern;
    private final float alpha;

    /**
     * @param pattern the pattern {@code k}, one value per image pixel ({@code C*H*W}, in [0, 1])
     * @param alpha   the blend weight of the pattern, in [0, 1]
     */
    BlendTrigger(float[] pattern, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        this.pattern = pattern.clone();
        this.alpha = (float) alpha;
    }

    /**
     * A pattern of uniform noise in [0, 1) with {@code size} values, drawn in channel, row, column order from
     * {@code new Random(seed).nextFloat()}: the same seed always gives the same pattern.
     */
    static float[] uniformNoise(long seed, int size) {
        Random random = new Random(seed);
        float[] noise = new float[size];
        for (int i = 0; i < size; i++) {
            noise[i] = random.nextFloat();
        }
        return noise;
    }

    /** A blended copy of {@code image}. */
    @Override
    public float[] apply(float[] image) {
        if (image.length != pattern.length) {
            throw new IllegalArgumentException("pattern has " + pattern.length + " values, image " + image.length);
        }
        float[] out = new float[image.length];
        for (int i = 0; i < image.length; i++) {
            out[i] = (1f - alpha) * image[i] + alpha * pattern[i];
        }
        return out;
    }

    /** The pattern {@code k}. */
    float[] pattern() {
        return pattern.clone();
    }
}
