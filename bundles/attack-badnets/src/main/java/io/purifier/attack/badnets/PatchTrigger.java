package io.purifier.attack.badnets;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * A square patch stamped onto images of one shape: inside the patch, every pixel under the mask is replaced by the
 * patch's value on every channel; all other pixels are left as they are.
 */
final class PatchTrigger implements UnaryOperator<float[]> {

    private final int channels;
    private final int height;
    private final int width;
    private final int top;
    private final int left;
    private final int size;
    private final float[] patch;
    private final boolean[] mask;

    /**
     * @param channels  image channels
     * @param height    image height
     * @param width     image width
     * @param top       the patch's first row
     * @param left      the patch's first column
     * @param size      the patch's side in pixels
     * @param patch     {@code channels * size * size} values (channel, row, column order)
     * @param mask      {@code size * size} flags: which patch pixels replace image pixels
     * @throws IllegalArgumentException when the patch does not lie inside the image or the arrays have wrong sizes
     */
    PatchTrigger(int channels, int height, int width, int top, int left, int size, float[] patch, boolean[] mask) {
        if (size < 1 || top < 0 || left < 0 || top + size > height || left + size > width) {
            throw new IllegalArgumentException("a " + size + "x" + size + " patch at row " + top + ", column " + left
                    + " does not fit a " + height + "x" + width + " image");
        }
        if (patch.length != channels * size * size || mask.length != size * size) {
            throw new IllegalArgumentException("patch needs " + channels * size * size + " values and "
                    + size * size + " mask flags, got " + patch.length + " and " + mask.length);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.top = top;
        this.left = left;
        this.size = size;
        this.patch = patch.clone();
        this.mask = mask.clone();
    }

    /** A patch filled with a built-in pattern, every pixel masked in. */
    static PatchTrigger ofPattern(PatchPattern pattern, int channels, int height, int width, int top, int left,
                                  int size) {
        float[] patch = new float[channels * size * size];
        for (int c = 0; c < channels; c++) {
            for (int r = 0; r < size; r++) {
                for (int col = 0; col < size; col++) {
                    patch[(c * size + r) * size + col] = pattern.value(r, col);
                }
            }
        }
        boolean[] mask = new boolean[size * size];
        Arrays.fill(mask, true);
        return new PatchTrigger(channels, height, width, top, left, size, patch, mask);
    }

    /** A copy of {@code image} ({@code C*H*W} pixels) with the patch stamped on. */
    @Override
    public float[] apply(float[] image) {
        if (image.length != channels * height * width) {
            throw new IllegalArgumentException("expected " + channels + "x" + height + "x" + width + " pixels, got "
                    + image.length);
        }
        float[] out = image.clone();
        for (int r = 0; r < size; r++) {
            for (int col = 0; col < size; col++) {
                if (!mask[r * size + col]) {
                    continue;
                }
                for (int c = 0; c < channels; c++) {
                    out[(c * height + top + r) * width + left + col] = patch[(c * size + r) * size + col];
                }
            }
        }
        return out;
    }

    /** The patch on an otherwise black image, for the UI. */
    float[] onBlack() {
        return apply(new float[channels * height * width]);
    }

    /** Number of image pixels (per channel) the patch replaces. */
    int maskedPixels() {
        int count = 0;
        for (boolean m : mask) {
            count += m ? 1 : 0;
        }
        return count;
    }

    /** The patch's first row. */
    int top() {
        return top;
    }

    /** The patch's first column. */
    int left() {
        return left;
    }

    /** The patch's side in pixels. */
    int size() {
        return size;
    }
}
