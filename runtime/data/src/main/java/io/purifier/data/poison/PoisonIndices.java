package io.purifier.data.poison;

import java.util.Arrays;
import java.util.Random;

/** Draws the training samples to poison: a uniform random subset, without replacement, in ascending order. */
public final class PoisonIndices {

    private PoisonIndices() {
    }

    /**
     * Picks {@code count} distinct entries of {@code candidates} uniformly at random (a partial Fisher-Yates
     * shuffle driven by {@code rng}) and returns them sorted.
     *
     * @throws IllegalArgumentException when {@code count} is negative or exceeds the number of candidates
     */
    public static int[] pick(int[] candidates, int count, Random rng) {
        if (count < 0 || count > candidates.length) {
            throw new IllegalArgumentException("cannot pick " + count + " of " + candidates.length + " candidates");
        }
        int[] pool = candidates.clone();
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(pool.length - i);
            int swap = pool[i];
            pool[i] = pool[j];
            pool[j] = swap;
        }
        int[] picked = Arrays.copyOf(pool, count);
        Arrays.sort(picked);
        return picked;
    }

    /** {@code 0, 1, ..., n - 1}. */
    public static int[] all(int n) {
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        return indices;
    }
}
