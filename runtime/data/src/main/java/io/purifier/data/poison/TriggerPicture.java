package io.purifier.data.poison;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.DataRoots;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A user-supplied trigger picture as gray or RGB planes in [0, 1]: {@code bands * height * width} values in band,
 * row, column order. Fully transparent pixels read as 0.
 *
 * @param bands  1 (gray) or 3 (RGB)
 * @param height rows
 * @param width  columns
 * @param pixels {@code bands * height * width} values in band, row, column order
 */
public record TriggerPicture(int bands, int height, int width, float[] pixels) {

    /**
     * Checks sizes and copies the pixels.
     *
     * @throws IllegalArgumentException when {@code bands} is not 1 or 3 or the pixel count does not match
     */
    public TriggerPicture {
        if (bands != 1 && bands != 3) {
            throw new IllegalArgumentException("a trigger picture has 1 or 3 bands, got " + bands);
        }
        if (pixels.length != bands * height * width) {
            throw new IllegalArgumentException(bands + "x" + height + "x" + width + " picture needs "
                    + bands * height * width + " values, got " + pixels.length);
        }
        pixels = pixels.clone();
    }

    /** The pixel values (a copy). */
    @Override
    public float[] pixels() {
        return pixels.clone();
    }

    /**
     * Resolves a user path through the data roots.
     *
     * @param parameter the parameter that named the file; the error message starts with it
     * @throws InvalidInputException {@code "<parameter>: <why>"} when the path does not resolve
     */
    public static Path locate(DataRoots roots, String userPath, String parameter) {
        try {
            return roots.resolve(userPath);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(parameter + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a PNG or JPEG (any format the JDK's ImageIO reads).
     *
     * @param parameter the parameter that named the file, for error messages
     * @throws InvalidInputException naming the parameter and file when it cannot be read as an image
     */
    public static TriggerPicture read(Path file, String parameter) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new InvalidInputException(parameter + ": cannot read " + file + " as an image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new InvalidInputException(parameter + ": " + file + " is not an image format this server reads (use PNG or JPEG)");
        }
        return fromImage(image);
    }

    /** Converts a decoded image: gray (+alpha) gives 1 band, everything else 3 RGB bands. */
    public static TriggerPicture fromImage(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        Raster raster = image.getRaster();
        boolean indexed = image.getColorModel() instanceof IndexColorModel;
        int rasterBands = raster.getNumBands();
        boolean gray = !indexed && rasterBands <= 2;
        boolean alpha = image.getColorModel().hasAlpha();
        int bands = gray ? 1 : 3;
        float[] pixels = new float[bands * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (indexed) {
                    int argb = image.getRGB(x, y);
                    boolean transparent = alpha && (argb >>> 24) == 0;
                    for (int b = 0; b < 3; b++) {
                        int value = transparent ? 0 : (argb >> (16 - 8 * b)) & 0xff;
                        pixels[(b * h + y) * w + x] = value / 255f;
                    }
                    continue;
                }
                boolean transparent = alpha && raster.getSample(x, y, rasterBands - 1) == 0;
                for (int b = 0; b < bands; b++) {
                    float max = (1L << raster.getSampleModel().getSampleSize(b)) - 1;
                    pixels[(b * h + y) * w + x] = transparent ? 0f : raster.getSample(x, y, b) / max;
                }
            }
        }
        return new TriggerPicture(bands, h, w, pixels);
    }

    /** Nearest-neighbour resize to {@code newHeight x newWidth} (pixel centres aligned, no smoothing). */
    public TriggerPicture resizeNearest(int newHeight, int newWidth) {
        float[] out = new float[bands * newHeight * newWidth];
        for (int y = 0; y < newHeight; y++) {
            int sy = Math.min(height - 1, (int) Math.floor((y + 0.5) * height / newHeight));
            for (int x = 0; x < newWidth; x++) {
                int sx = Math.min(width - 1, (int) Math.floor((x + 0.5) * width / newWidth));
                for (int b = 0; b < bands; b++) {
                    out[(b * newHeight + y) * newWidth + x] = pixels[(b * height + sy) * width + sx];
                }
            }
        }
        return new TriggerPicture(bands, newHeight, newWidth, out);
    }

    /**
     * Bilinear resize to {@code newHeight x newWidth} with pixel centres aligned (PyTorch's
     * {@code interpolate(mode="bilinear", align_corners=False)} without antialiasing): output pixel {@code d} samples
     * source position {@code (d + 0.5) * in / out - 0.5}, clamped to the picture.
     */
    public TriggerPicture resizeBilinear(int newHeight, int newWidth) {
        float[] out = new float[bands * newHeight * newWidth];
        for (int y = 0; y < newHeight; y++) {
            double sy = Math.max(0.0, (y + 0.5) * height / newHeight - 0.5);
            int y0 = Math.min(height - 1, (int) Math.floor(sy));
            int y1 = Math.min(height - 1, y0 + 1);
            float wy = (float) (sy - y0);
            for (int x = 0; x < newWidth; x++) {
                double sx = Math.max(0.0, (x + 0.5) * width / newWidth - 0.5);
                int x0 = Math.min(width - 1, (int) Math.floor(sx));
                int x1 = Math.min(width - 1, x0 + 1);
                float wx = (float) (sx - x0);
                for (int b = 0; b < bands; b++) {
                    int base = b * height;
                    float top = (1 - wx) * pixels[(base + y0) * width + x0] + wx * pixels[(base + y0) * width + x1];
                    float bottom = (1 - wx) * pixels[(base + y1) * width + x0] + wx * pixels[(base + y1) * width + x1];
                    out[(b * newHeight + y) * newWidth + x] = (1 - wy) * top + wy * bottom;
                }
            }
        }
        return new TriggerPicture(bands, newHeight, newWidth, out);
    }

    /**
     * The picture with {@code channels} channels: equal counts are kept, gray is repeated, and RGB becomes
     * luminance (0.299 R + 0.587 G + 0.114 B), repeated when {@code channels} is not 3.
     */
    public float[] toChannels(int channels) {
        int plane = height * width;
        if (channels == bands) {
            return pixels.clone();
        }
        float[] source = new float[plane];
        if (bands == 1) {
            System.arraycopy(pixels, 0, source, 0, plane);
        } else {
            for (int p = 0; p < plane; p++) {
                source[p] = 0.299f * pixels[p] + 0.587f * pixels[plane + p] + 0.114f * pixels[2 * plane + p];
            }
        }
        float[] out = new float[channels * plane];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(source, 0, out, c * plane, plane);
        }
        return out;
    }

    /** Per pixel: whether any band is above 0 (BackdoorBench's trigger mask rule). */
    public boolean[] nonZeroMask() {
        int plane = height * width;
        boolean[] mask = new boolean[plane];
        for (int b = 0; b < bands; b++) {
            for (int p = 0; p < plane; p++) {
                mask[p] |= pixels[b * plane + p] > 0f;
            }
        }
        return mask;
    }
}
