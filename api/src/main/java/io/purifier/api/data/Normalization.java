package io.purifier.api.data;

import java.util.Arrays;

/**
 * Per-channel normalization applied inside a model: {@code x_norm = (x - mean[c]) / std[c]} on [0, 1] pixels.
 *
 * @param mean per-channel mean
 * @param std  per-channel standard deviation (all &gt; 0)
 */
public record Normalization(double[] mean, double[] std) {

    /** Checks lengths and positivity. */
    public Normalization {
        mean = mean.clone();
        std = std.clone();
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need the same, non-zero length");
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
            }
        }
    }

    /** No normalization (mean 0, std 1) for {@code channels} channels. */
    public static Normalization identity(int channels) {
        double[] zeros = new double[channels];
        double[] ones = new double[channels];
        Arrays.fill(ones, 1.0);
        return new Normalization(zeros, ones);
    }

    /** Number of channels. */
    public int channels() {
        return mean.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
