package io.purifier.attack.wanet;

import io.purifier.api.data.Augmentation;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Tiny synthetic datasets: pixels uniform in [0.1, 0.9) (never exactly 0 or 1), labels {@code i mod K}. */
final class TinyData {

    private TinyData() {
    }

    static ImageSet images(int n, int channels, int height, int width, int classes, long seed) {
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

    static DatasetSplits splits(int trainSize, int testSize, int channels, int height, int width, int classes) {
        return new DatasetSplits("tiny", "hash", images(trainSize, channels, height, width, classes, 1),
                images(testSize, channels, height, width, classes, 2), Normalization.identity(channels),
                Augmentation.none());
    }

    /** Image {@code i} of {@code set} as C*H*W floats. */
    static float[] pixels(ImageSet set, int i) {
        return set.images().slice(i).dup('c').data().asFloat();
    }
}
