package io.purifier.attack.sig;

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
}
