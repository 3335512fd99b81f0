package io.purifier.attack.badnets;

import io.purifier.api.attack.PreviewImage;

/** Builds the UI pictures of an attack. */
final class Previews {

    private Previews() {
    }

    /** A preview of one image's {@code C*H*W} pixels (clipped into [0, 1]). */
    static PreviewImage of(String caption, float[] pixels, int channels, int height, int width) {
        float[] clipped = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            clipped[i] = Math.min(1f, Math.max(0f, pixels[i]));
        }
        return new PreviewImage(caption, ImagePixels.asImage(clipped, channels, height, width));
    }

    /**
     * {@code |poisoned - clean|} scaled so that its largest entry becomes 1 (all zeros when the images are equal),
     * which makes faint triggers visible.
     */
    static float[] amplifiedDifference(float[] clean, float[] poisoned) {
        float[] diff = new float[clean.length];
        float max = 0f;
        for (int i = 0; i < clean.length; i++) {
            diff[i] = Math.abs(poisoned[i] - clean[i]);
            max = Math.max(max, diff[i]);
        }
        if (max > 0f) {
            for (int i = 0; i < diff.length; i++) {
                diff[i] /= max;
            }
        }
        return diff;
    }
}
