package io.purifier.attack.wanet;

/**
 * Bilinear resampling of an image through a {@link WarpGrid}, with the semantics of PyTorch's
 * {@code grid_sample(mode="bilinear", padding_mode="zeros", align_corners=True)}: normalised {@code -1} and
 * {@code +1} are the centres of the first and last pixel, and taps outside the image count as 0.
 */
final class GridSampler {

    private GridSampler() {
    }

    /**
     * @param image {@code channels * height * width} pixels (channel, row, column order)
     * @param grid  a grid of the same height and width
     * @return the resampled image, same layout
     */
    static float[] sample(float[] image, int channels, int height, int width, WarpGrid grid) {
        if (grid.height() != height || grid.width() != width || image.length != channels * height * width) {
            throw new IllegalArgumentException("image " + channels + "x" + height + "x" + width + " ("
                    + image.length + " values) does not match a " + grid.height() + "x" + grid.width() + " grid");
        }
        int plane = height * width;
        float[] out = new float[image.length];
        for (int p = 0; p < plane; p++) {
            double ix = (grid.x(p) + 1.0) / 2.0 * (width - 1);
            double iy = (grid.y(p) + 1.0) / 2.0 * (height - 1);
            int x0 = (int) Math.floor(ix);
            int y0 = (int) Math.floor(iy);
            double fx = ix - x0;
            double fy = iy - y0;
            double w00 = (1 - fx) * (1 - fy);
            double w01 = fx * (1 - fy);
            double w10 = (1 - fx) * fy;
            double w11 = fx * fy;
            for (int c = 0; c < channels; c++) {
                int base = c * plane;
                double v = w00 * tap(image, base, height, width, y0, x0)
                        + w01 * tap(image, base, height, width, y0, x0 + 1)
                        + w10 * tap(image, base, height, width, y0 + 1, x0)
                        + w11 * tap(image, base, height, width, y0 + 1, x0 + 1);
                out[base + p] = (float) v;
            }
        }
        return out;
    }

    private static float tap(float[] image, int base, int height, int width, int row, int col) {
        return row < 0 || row >= height || col < 0 || col >= width ? 0f : image[base + row * width + col];
    }
}
