package io.purifier.attack.wanet;

import java.util.Random;

/**
 * A sampling grid for images of {@code height x width}: for each output pixel, the source position in normalised
 * coordinates ({@code -1} = first pixel centre, {@code +1} = last, as {@code grid_sample} with
 * {@code align_corners = True}); {@code x} runs along the width, {@code y} along the height.
 */
final class WarpGrid {

    private final int height;
    private final int width;
    private final float[] x;
    private final float[] y;

    private WarpGrid(int height, int width, float[] x, float[] y) {
        this.height = height;
        this.width = width;
        this.x = x;
        this.y = y;
    }

    /**
     * A grid with the given normalised source positions ({@code height * width} each, row by row).
     *
     * @throws IllegalArgumentException when the sizes do not match
     */
    static WarpGrid of(int height, int width, float[] x, float[] y) {
        if (height < 1 || width < 1 || x.length != height * width || y.length != height * width) {
            throw new IllegalArgumentException("a " + height + "x" + width + " grid needs " + height * width
                    + " x and y values, got " + x.length + " and " + y.length);
        }
        return new WarpGrid(height, width, x.clone(), y.clone());
    }

    /** The grid that samples every pixel at its own position ({@code linspace(-1, 1)} along each axis). */
    static WarpGrid identity(int height, int width) {
        float[] x = new float[height * width];
        float[] y = new float[height * width];
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                x[i * width + j] = linspace(j, width);
                y[i * width + j] = linspace(i, height);
            }
        }
        return new WarpGrid(height, width, x, y);
    }

    /**
     * WaNet's warping grid: {@code clamp((identity + s * noise / size) * gridRescale, -1, 1)} per axis, where
     * {@code noise} is the control field bicubically upsampled to the image size, divided by the width for x and by
     * the height for y (BackdoorBench divides both by the height; the same for square images).
     *
     * @param field the control field (two {@code k x k} planes: x, then y)
     */
    static WarpGrid warping(ControlField field, int height, int width, double s, double gridRescale) {
        float[] noiseX = BicubicUpsampler.resize(field.x(), field.k(), field.k(), height, width);
        float[] noiseY = BicubicUpsampler.resize(field.y(), field.k(), field.k(), height, width);
        WarpGrid identity = identity(height, width);
        float[] x = new float[height * width];
        float[] y = new float[height * width];
        for (int p = 0; p < x.length; p++) {
            x[p] = clamp((float) ((identity.x[p] + s * noiseX[p] / width) * gridRescale));
            y[p] = clamp((float) ((identity.y[p] + s * noiseY[p] / height) * gridRescale));
        }
        return new WarpGrid(height, width, x, y);
    }

    /**
     * WaNet's noise-mode grid: this grid plus independent uniform noise in {@code [-1, 1) / width} (x) and
     * {@code / height} (y) at every pixel, clamped to [-1, 1]. Draws {@code 2 * height * width} floats from
     * {@code rng}, x then y per pixel, row by row.
     */
    WarpGrid withRandomNoise(Random rng) {
        float[] nx = new float[x.length];
        float[] ny = new float[y.length];
        for (int p = 0; p < x.length; p++) {
            nx[p] = clamp(x[p] + (rng.nextFloat() * 2 - 1) / width);
            ny[p] = clamp(y[p] + (rng.nextFloat() * 2 - 1) / height);
        }
        return new WarpGrid(height, width, nx, ny);
    }

    /** The image resampled through this grid (see {@link GridSampler}). */
    float[] warp(float[] image, int channels) {
        return GridSampler.sample(image, channels, height, width, this);
    }

    /** The largest displacement of any pixel from its own position, in pixels. */
    double maxDisplacementPixels() {
        double max = 0;
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                int p = i * width + j;
                double dx = (x[p] + 1) / 2 * (width - 1) - j;
                double dy = (y[p] + 1) / 2 * (height - 1) - i;
                max = Math.max(max, Math.hypot(dx, dy));
            }
        }
        return max;
    }

    int height() {
        return height;
    }

    int width() {
        return width;
    }

    /** Normalised x of output pixel {@code p} (row-major index). */
    float x(int p) {
        return x[p];
    }

    /** Normalised y of output pixel {@code p} (row-major index). */
    float y(int p) {
        return y[p];
    }

    private static float linspace(int index, int steps) {
        return steps == 1 ? -1f : -1f + 2f * index / (steps - 1);
    }

    private static float clamp(float v) {
        return Math.max(-1f, Math.min(1f, v));
    }
}
