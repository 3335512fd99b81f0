package io.purifier.attack.wanet;

/**
 * Bicubic resizing of one plane with {@code align_corners = True} semantics, as PyTorch's
 * {@code interpolate(mode="bicubic", align_corners=True)}: cubic convolution with {@code A = -0.75}, output pixel
 * {@code d} samples source position {@code d * (in - 1) / (out - 1)}, and taps outside the plane repeat the border.
 * Corner values are kept exactly; values may overshoot the input range.
 */
final class BicubicUpsampler {

    private static final double A = -0.75;

    private BicubicUpsampler() {
    }

    /**
     * @param plane {@code inHeight * inWidth} values, row by row
     * @return {@code outHeight * outWidth} values, row by row
     */
    static float[] resize(float[] plane, int inHeight, int inWidth, int outHeight, int outWidth) {
        if (plane.length != inHeight * inWidth) {
            throw new IllegalArgumentException("plane has " + plane.length + " values, not " + inHeight + "x" + inWidth);
        }
        float[] out = new float[outHeight * outWidth];
        double scaleY = outHeight > 1 ? (inHeight - 1) / (double) (outHeight - 1) : 0.0;
        double scaleX = outWidth > 1 ? (inWidth - 1) / (double) (outWidth - 1) : 0.0;
        double[] rowValues = new double[4];
        for (int y = 0; y < outHeight; y++) {
            double realY = scaleY * y;
            int baseY = (int) Math.floor(realY);
            double[] wy = coefficients(realY - baseY);
            for (int x = 0; x < outWidth; x++) {
                double realX = scaleX * x;
                int baseX = (int) Math.floor(realX);
                double[] wx = coefficients(realX - baseX);
                for (int r = 0; r < 4; r++) {
                    int row = clamp(baseY - 1 + r, inHeight);
                    double sum = 0;
                    for (int c = 0; c < 4; c++) {
                        sum += wx[c] * plane[row * inWidth + clamp(baseX - 1 + c, inWidth)];
                    }
                    rowValues[r] = sum;
                }
                double value = 0;
                for (int r = 0; r < 4; r++) {
                    value += wy[r] * rowValues[r];
                }
                out[y * outWidth + x] = (float) value;
            }
        }
        return out;
    }

    /** The four tap weights for fractional offset {@code t} in [0, 1). */
    static double[] coefficients(double t) {
        return new double[] {far(t + 1), near(t), near(1 - t), far(2 - t)};
    }

    /** Cubic convolution kernel for |x| <= 1. */
    private static double near(double x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    /** Cubic convolution kernel for 1 < |x| < 2. */
    private static double far(double x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }

    private static int clamp(int index, int size) {
        return Math.max(0, Math.min(size - 1, index));
    }
}
