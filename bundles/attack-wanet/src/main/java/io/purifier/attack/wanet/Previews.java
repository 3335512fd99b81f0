package io.purifier.attack.wanet;

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
     * {@code poisoned - clean} mapped into [0, 1] with 0.5 for no change, scaled so that the largest absolute
     * difference reaches 0 or 1 (all 0.5 when the images are equal); makes faint warps visible.
     */
    static float[] amplifiedDifference(float[] clean, float[] poisoned) {
        float max = 0f;
        for (int i = 0; i < clean.length; i++) {
            max = Math.max(max, Math.abs(poisoned[i] - clean[i]));
        }
        float[] out = new float[clean.length];
        for (int i = 0; i < clean.length; i++) {
            out[i] = max > 0f ? 0.5f + 0.5f * (poisoned[i] - clean[i]) / max : 0.5f;
        }
        return out;
    }
}
