package io.purifier.testkit;

import io.purifier.api.data.ImageSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A learnable synthetic task for plugin tests, small enough to train in a second: class k (of at most 4) is a
 * bright 4x4 square at a random place in quadrant k of a noisy dark {@code size x size} gray image. With at most
 * three classes the bottom-right quadrant is always dark, which is where {@link #stamp} puts its trigger (a 3x3
 * white checker in the corner), so a planted backdoor never collides with a class.
 */
public final class TinyData {

    /** Side of the trigger stamped by {@link #stamp}. */
    public static final int TRIGGER = 3;

    private TinyData() {
    }

    /** {@code n} images, labels cycling through the classes. */
    public static ImageSet quadrants(long seed, int n, int size, int classes) {
        if (classes < 1 || classes > 4 || size < 8) {
            throw new IllegalArgumentException("quadrants need 1..4 classes and size >= 8, got " + classes + ", " + size);
        }
        Random rng = new Random(seed);
        float[] pixels = new float[n * size * size];
        int[] labels = new int[n];
        int half = size / 2;
        for (int i = 0; i < n; i++) {
            int k = i % classes;
            labels[i] = k;
            int top = (k / 2) * half + rng.nextInt(half - 3);
            int left = (k % 2) * half + rng.nextInt(half - 3);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean on = y >= top && y < top + 4 && x >= left && x < left + 4;
                    pixels[i * size * size + y * size + x] = on ? 0.8f + 0.2f * rng.nextFloat() : 0.2f * rng.nextFloat();
                }
            }
        }
        return new ImageSet(Nd4j.create(pixels, new long[]{n, 1, size, size}, 'c'), labels, classNames(classes));
    }

    /** {@code n} images of {@code channels x size x size} uniform random pixels in [0, 1) from {@code seed}. */
    public static INDArray noise(long seed, int n, int channels, int size) {
        Random rng = new Random(seed);
        float[] pixels = new float[n * channels * size * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.nextFloat();
        }
        return Nd4j.create(pixels, new long[]{n, channels, size, size}, 'c');
    }

    /** A copy of {@code images} ({@code [N, 1, S, S]}) with the 3x3 checker trigger in the bottom-right corner. */
    public static INDArray stamp(INDArray images) {
        INDArray out = images.dup('c');
        int n = (int) out.size(0);
        int s = (int) out.size(2);
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < TRIGGER; y++) {
                for (int x = 0; x < TRIGGER; x++) {
                    out.putScalar(new long[]{i, 0, s - TRIGGER + y, s - TRIGGER + x}, (x + y) % 2 == 0 ? 1.0 : 0.0);
                }
            }
        }
        return out;
    }

    /**
     * {@code n} images of {@code classes} (at most {@code (size - 4) / 2}) classes: class k is a bright horizontal bar
     * two pixels high in rows {@code 2k, 2k + 1}, at a random horizontal offset, on a noisy dark image. The bottom
     * four rows stay dark, so {@link #stamp}'s corner trigger never collides with a class; more classes than
     * {@link #quadrants} make Neural Cleanse's median statistics meaningful.
     */
    public static ImageSet bars(long seed, int n, int size, int classes) {
        if (classes < 1 || 2 * classes > size - 4) {
            throw new IllegalArgumentException("bars need 1.." + (size - 4) / 2 + " classes at size " + size + ", got " + classes);
        }
        Random rng = new Random(seed);
        float[] pixels = new float[n * size * size];
        int[] labels = new int[n];
        int length = size / 2;
        for (int i = 0; i < n; i++) {
            int k = i % classes;
            labels[i] = k;
            int left = rng.nextInt(size - length - TRIGGER);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean on = y / 2 == k && x >= left && x < left + length;
                    pixels[i * size * size + y * size + x] = on ? 0.8f + 0.2f * rng.nextFloat() : 0.2f * rng.nextFloat();
                }
            }
        }
        return new ImageSet(Nd4j.create(pixels, new long[]{n, 1, size, size}, 'c'), labels, classNames(classes));
    }

    /**
     * A BadNets-style poisoned training set: {@link #quadrants} where every {@code every}-th image not of class
     * {@code target} carries the trigger and is relabelled {@code target}.
     */
    public static ImageSet poisoned(long seed, int n, int size, int classes, int target, int every) {
        return poisoned(quadrants(seed, n, size, classes), target, every);
    }

    /** {@code clean} with every {@code every}-th image not of class {@code target} stamped and relabelled {@code target}. */
    public static ImageSet poisoned(ImageSet clean, int target, int every) {
        INDArray images = clean.images().dup('c');
        int[] labels = clean.labels();
        int nonTarget = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == target) {
                continue;
            }
            if (nonTarget++ % every == 0) {
                INDArray one = images.get(NDArrayIndex.interval(i, i + 1));
                images.get(NDArrayIndex.interval(i, i + 1)).assign(stamp(one));
                labels[i] = target;
            }
        }
        return new ImageSet(images, labels, clean.classNames());
    }

    /** The images of {@code set} whose label is not {@code target}, stamped with the trigger (an ASR test set). */
    public static INDArray triggeredNonTarget(ImageSet set, int target) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            if (set.label(i) != target) {
                keep.add(i);
            }
        }
        return stamp(set.subset(keep.stream().mapToInt(Integer::intValue).toArray()).images());
    }

    /** {@code class0 .. class(k-1)}. */
    public static List<String> classNames(int classes) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            names.add("class" + k);
        }
        return names;
    }
}
