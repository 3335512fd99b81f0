package io.purifier.defense.wiper;

import java.util.Arrays;
import java.util.Random;

/** Shuffled mini-batches of sample indices (Fisher-Yates, then consecutive slices; the last may be smaller). */
final class BatchOrder {

    private BatchOrder() {
    }

    /**
     * One epoch's batches.
     *
     * @param n         number of samples
     * @param batchSize samples per batch, at least 1
     * @param rng       the random source, advanced by the shuffle
     * @return the batches' sample indices, covering every sample once
     */
    static int[][] shuffled(int n, int batchSize, Random rng) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int count = (n + batchSize - 1) / batchSize;
        int[][] out = new int[count][];
        for (int b = 0; b < count; b++) {
            out[b] = Arrays.copyOfRange(order, b * batchSize, Math.min(n, (b + 1) * batchSize));
        }
        return out;
    }
}
