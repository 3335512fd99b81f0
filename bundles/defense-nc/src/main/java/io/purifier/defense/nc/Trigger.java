package io.purifier.defense.nc;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trigger as Neural Cleanse models it: a mask {@code m [H, W]} shared by the channels and a pattern
 * {@code p [C, H, W]}, both in [0, 1]; stamping an image gives {@code (1 - m) x + m p} (pixel space, before the
 * model's normalization). The search optimises unconstrained {@code m_tanh}, {@code p_tanh} with
 * {@code m = tanh(m_tanh) / (2 + eps) + 0.5}.
 *
 * @param channels C
 * @param height   H
 * @param width    W
 * @param mask     {@code [H * W]}
 * @param pattern  {@code [C * H * W]}
 */
record Trigger(int channels, int height, int width, double[] mask, double[] pattern) {

    /** Checks the sizes. */
    Trigger {
        if (mask.length != height * width || pattern.length != channels * height * width) {
            throw new IllegalArgumentException("mask " + mask.length + " and pattern " + pattern.length
                    + " do not fit " + channels + "x" + height + "x" + width);
        }
    }

    /** {@code tanh(raw) / (2 + eps) + 0.5}, element-wise. */
    static double[] squash(double[] raw, double eps) {
        double[] out = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = Math.tanh(raw[i]) / (2 + eps) + 0.5;
        }
        return out;
    }

    /** The derivative of {@link #squash} at {@code raw}: {@code (1 - tanh^2) / (2 + eps)}. */
    static double[] squashDerivative(double[] raw, double eps) {
        double[] out = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            double t = Math.tanh(raw[i]);
            out[i] = (1 - t * t) / (2 + eps);
        }
        return out;
    }

    /** The L1 norm of the mask (its sum: the mask is positive) or its L2 norm. */
    double norm(boolean l1) {
        double s = 0;
        for (double m : mask) {
            s += l1 ? Math.abs(m) : m * m;
        }
        return l1 ? s : Math.sqrt(s);
    }

    /** {@code images [N, C, H, W]} in [0, 1] stamped, {@code x + m (p - x)}, in the images' data type. */
    INDArray stamp(INDArray images) {
        int n = (int) images.size(0);
        int plane = height * width;
        double[] x = images.dup('c').data().asDouble();
        double[] out = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * plane;
                for (int j = 0; j < plane; j++) {
                    out[base + j] = x[base + j] + mask[j] * (pattern[c * plane + j] - x[base + j]);
                }
            }
        }
        return Nd4j.create(out, new long[]{n, channels, height, width}, 'c').castTo(images.dataType());
    }
}
