package io.purifier.data.poison;

import io.purifier.api.attack.PreviewImage;
import io.purifier.api.data.ImageSet;

import java.util.List;
import java.util.function.UnaryOperator;

/** Builds the UI pictures of an attack. */
public final class Previews {

    private Previews() {
    }

    /** A preview of one image's {@code C*H*W} pixels (clipped into [0, 1]). */
    public static PreviewImage of(String caption, float[] pixels, int channels, int height, int width) {
        float[] clipped = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            clipped[i] = Math.min(1f, Math.max(0f, pixels[i]));
        }
        return new PreviewImage(caption, ImagePixels.asImage(clipped, channels, height, width));
    }

    /**
     * The usual three previews of an attack: image {@code sample} of {@code set} as it is (captioned
     * "clean training sample #<i>sample</i>"), the same image through {@code trigger} (captioned
     * {@code poisonedCaption}), and a third picture of the trigger itself.
     *
     * @param trigger        maps one image's {@code C*H*W} pixels to the poisoned pixels
     * @param triggerCaption caption of the third picture
     * @param triggerPixels  the third picture's {@code C*H*W} pixels (for example the trigger on black)
     */
    public static List<PreviewImage> ofSample(ImageSet set, int sample, UnaryOperator<float[]> trigger,
                                              String poisonedCaption, String triggerCaption, float[] triggerPixels) {
        int c = set.channels();
        int h = set.height();
        int w = set.width();
        float[] clean = ImagePixels.read(set.images(), sample);
        return List.of(
                of("clean training sample #" + sample, clean, c, h, w),
                of(poisonedCaption, trigger.apply(clean), c, h, w),
                of(triggerCaption, triggerPixels, c, h, w));
    }

    /**
     * {@code poisoned - clean} mapped into [0, 1] with 0.5 for no change, scaled so that the largest absolute
     * difference reaches 0 or 1 (all 0.5 when the images are equal); makes faint triggers visible.
     */
    public static float[] amplifiedDifference(float[] clean, float[] poisoned) {
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
