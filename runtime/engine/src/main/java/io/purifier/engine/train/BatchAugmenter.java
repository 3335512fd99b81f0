package io.purifier.engine.train;

import io.purifier.api.data.Augmentation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * Random crop after zero padding (equivalently: a random shift in [-p, p] on each axis with zero fill) and
 * optional horizontal flip, per image, drawn from the given random source in a fixed order (shift y, shift x,
 * flip) so results are reproducible.
 */
public final class BatchAugmenter {

    private BatchAugmenter() {
    }

    /**
     * Augments a batch.
     *
     * @param images {@code [B, C, H, W]} (not modified)
     * @param aug    what to apply
     * @param rng    the random source
     * @return a new FLOAT array, or {@code images} itself when {@code aug} does nothing
     */
    public static INDArray apply(INDArray images, Augmentation aug, Random rng) {
        if (aug.cropPadding() == 0 && !aug.horizontalFlip()) {
            return images;
        }
        int b = (int) images.size(0);
        int c = (int) images.size(1);
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        float[] in = images.dup('c').data().asFloat();
        float[] out = new float[in.length];
        int pad = aug.cropPadding();
        int plane = h * w;
        for (int i = 0; i < b; i++) {
            int dy = pad == 0 ? 0 : rng.nextInt(2 * pad + 1) - pad;
            int dx = pad == 0 ? 0 : rng.nextInt(2 * pad + 1) - pad;
            boolean flip = aug.horizontalFlip() && rng.nextBoolean();
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * plane;
                for (int y = 0; y < h; y++) {
                    int sy = y + dy;
                    if (sy < 0 || sy >= h) {
                        continue;
                    }
                    for (int x = 0; x < w; x++) {
                        int sx = (flip ? w - 1 - x : x) + dx;
                        if (sx >= 0 && sx < w) {
                            out[base + y * w + x] = in[base + sy * w + sx];
                        }
                    }
                }
            }
        }
        return Nd4j.create(out, new long[]{b, c, h, w}, 'c').castTo(DataType.FLOAT);
    }
}
