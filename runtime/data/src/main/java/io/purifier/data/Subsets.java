package io.purifier.data;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Deterministic, class-balanced subsets and held-out splits of labeled image sets.
 *
 * <p><b>By fraction</b> (BackdoorBench's {@code choose_by_class}): every class gets the same count
 * {@code ⌊N·f/K⌋} (N images, K classes, fraction f), rounded down; for example 5% of CIFAR-10's 50,000 training
 * images is ⌊2,500/10⌋ = 250 per class. <b>By count</b>: a total of n gives every class ⌊n/K⌋ images and the
 * first {@code n mod K} classes (by label) one more, so the subset holds exactly n images. Either way a class with
 * fewer images than its share is an error (never silently unbalanced), as is a share of zero.</p>
 *
 * <p>Within each class the images are drawn without replacement by a partial Fisher-Yates shuffle driven by one
 * {@link Random} seeded with {@code seed}, classes in label order; the returned indices are sorted ascending, so
 * the subset keeps the original order. The same inputs and seed give the same subset on every JVM.</p>
 */
public final class Subsets {

    private Subsets() {
    }

    /** A set divided into two disjoint parts, with the indices (into the original set, ascending) of each. */
    public record Split(ImageSet kept, ImageSet heldOut, int[] keptIndices, int[] heldOutIndices) {
    }

    /**
     * The per-class count of a fraction: {@code ⌊N·f/K⌋}.
     *
     * @throws InvalidInputException when the fraction is outside (0, 1] or gives zero images per class
     */
    public static int perClassCountForFraction(int total, int numClasses, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new InvalidInputException("subset fraction must be in (0, 1], got " + fraction);
        }
        int perClass = (int) Math.floor(total * fraction / numClasses);
        if (perClass == 0) {
            throw new InvalidInputException("a fraction of " + fraction + " of " + total + " images in " + numClasses
                    + " classes gives ⌊N·f/K⌋ = 0 images per class; use a larger fraction");
        }
        return perClass;
    }

    /**
     * Indices of a class-balanced subset holding {@code ⌊N·f/K⌋} images of every class.
     *
     * @throws InvalidInputException when a class has fewer images than that, or the share is zero
     */
    public static int[] balancedIndicesByFraction(int[] labels, int numClasses, double fraction, long seed) {
        int perClass = perClassCountForFraction(labels.length, numClasses, fraction);
        int[] counts = new int[numClasses];
        Arrays.fill(counts, perClass);
        return balancedIndices(labels, counts, seed, "fraction " + fraction);
    }

    /**
     * Indices of a class-balanced subset of exactly {@code count} images: ⌊count/K⌋ per class, one more for the
     * first {@code count mod K} classes.
     *
     * @throws InvalidInputException when count is below K or a class has too few images
     */
    public static int[] balancedIndicesByCount(int[] labels, int numClasses, int count, long seed) {
        if (count < numClasses) {
            throw new InvalidInputException("a class-balanced subset of " + count + " images cannot cover " + numClasses
                    + " classes; ask for at least " + numClasses);
        }
        int[] counts = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            counts[c] = count / numClasses + (c < count % numClasses ? 1 : 0);
        }
        return balancedIndices(labels, counts, seed, count + " images");
    }

    /** The class-balanced subset of {@code ⌊N·f/K⌋} images per class (see {@link #balancedIndicesByFraction}). */
    public static ImageSet balancedByFraction(ImageSet set, double fraction, long seed) {
        return ImageSets.select(set, balancedIndicesByFraction(set.labels(), set.numClasses(), fraction, seed));
    }

    /** The class-balanced subset of exactly {@code count} images (see {@link #balancedIndicesByCount}). */
    public static ImageSet balancedByCount(ImageSet set, int count, long seed) {
        return ImageSets.select(set, balancedIndicesByCount(set.labels(), set.numClasses(), count, seed));
    }

    /**
     * The whole set when {@code count} is 0 or the set's size, otherwise {@link #balancedByCount}. This is the rule
     * of the dataset providers' {@code trainSize} and {@code testSize} parameters.
     *
     * @param what names the request in errors, for example "trainSize"
     * @throws InvalidInputException when count is larger than the set or a class has too few images
     */
    public static ImageSet allOrBalanced(ImageSet set, int count, long seed, String what) {
        if (count == 0 || count == set.size()) {
            return set;
        }
        if (count > set.size()) {
            throw new InvalidInputException(what + " of " + count + " images was asked for but the data has only " + set.size());
        }
        try {
            return balancedByCount(set, count, seed);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Splits a set into a kept part and a class-balanced held-out part of {@code ⌊N·f/K⌋} images per class; the
     * kept part is everything else. The two parts are disjoint and together are the whole set.
     *
     * @param fraction the held-out fraction in (0, 1]
     * @throws InvalidInputException when a class has too few images for its held-out share
     */
    public static Split split(ImageSet set, double fraction, long seed) {
        int[] heldOut = balancedIndicesByFraction(set.labels(), set.numClasses(), fraction, seed);
        boolean[] taken = new boolean[set.size()];
        for (int i : heldOut) {
            taken[i] = true;
        }
        int[] kept = new int[set.size() - heldOut.length];
        for (int i = 0, k = 0; i < set.size(); i++) {
            if (!taken[i]) {
                kept[k++] = i;
            }
        }
        return new Split(ImageSets.select(set, kept), ImageSets.select(set, heldOut), kept, heldOut);
    }

    private static int[] balancedIndices(int[] labels, int[] perClass, long seed, String request) {
        int numClasses = perClass.length;
        List<List<Integer>> byClass = new ArrayList<>(numClasses);
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside [0, " + numClasses + ")");
            }
            byClass.get(labels[i]).add(i);
        }
        for (int c = 0; c < numClasses; c++) {
            if (byClass.get(c).size() < perClass[c]) {
                throw new InvalidInputException("class " + c + " has only " + byClass.get(c).size() + " images but a class-balanced subset of "
                        + request + " needs " + perClass[c] + " per class");
            }
        }
        Random random = new Random(seed);
        int total = Arrays.stream(perClass).sum();
        int[] picked = new int[total];
        int next = 0;
        for (int c = 0; c < numClasses; c++) {
            int[] pool = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
            for (int k = 0; k < perClass[c]; k++) {
                int j = k + random.nextInt(pool.length - k);
                int swap = pool[k];
                pool[k] = pool[j];
                pool[j] = swap;
                picked[next++] = pool[k];
            }
        }
        Arrays.sort(picked);
        return picked;
    }
}
