package io.purifier.data.testing;

import io.purifier.api.data.Augmentation;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tiny synthetic datasets for plugin tests: pixels uniform in [0.1, 0.9) (never exactly 0 or 1) drawn from
 * {@code new Random(seed)}, labels {@code i mod K}, class names {@code class0..classK-1}.
 */
public final class TinyData {

    private TinyData() {
    }

    /** {@code n} images of {@code channels x height x width} with labels {@code i mod classes}. */
    public static ImageSet images(int n, int channels, int height, int width, int classes, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[n * channels * height * width];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = 0.1f + 0.8f * random.nextFloat();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add("class" + k);
        }
        return new ImageSet(Nd4j.create(pixels, new long[] {n, channels, height, width}, 'c'), labels, names);
    }

    /**
     * A dataset "tiny" (hash "hash") whose training split has seed 1 and test split seed 2, identity normalization
     * and no augmentation.
     */
    public static DatasetSplits splits(int trainSize, int testSize, int channels, int height, int width, int classes) {
        return new DatasetSplits("tiny", "hash", images(trainSize, channels, height, width, classes, 1),
                images(testSize, channels, height, width, classes, 2), Normalization.identity(channels),
                Augmentation.none());
    }

    /** Image {@code i} of {@code set} as {@code C*H*W} floats. */
    public static float[] pixels(ImageSet set, int i) {
        return set.images().slice(i).dup('c').data().asFloat();
    }
}
