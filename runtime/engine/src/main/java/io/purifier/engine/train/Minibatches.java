package io.purifier.engine.train;

import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.engine.eval.Batches;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * One epoch of labeled mini-batches for a defense's own training loop, drawn like {@link Trainer}'s: the order is a
 * Fisher-Yates shuffle from the given random source when the epoch is created, each batch is gathered and augmented
 * (random crop after zero padding, optional flip, {@link BatchAugmenter}) from the same source when it is reached.
 * The same source state gives the same batches. Iterate once.
 */
public final class Minibatches implements Iterable<Minibatches.Batch> {

    /**
     * One batch.
     *
     * @param number  0-based position in the epoch
     * @param indices the images' positions in the data set
     * @param images  {@code [B, C, H, W]} pixels (augmented when the epoch augments)
     * @param labels  the B labels
     */
    public record Batch(int number, int[] indices, INDArray images, int[] labels) {

        /** Images in the batch. */
        public int size() {
            return labels.length;
        }
    }

    private final ImageSet data;
    private final int batchSize;
    private final Augmentation augmentation;
    private final Random rng;
    private final int[] order;
    private final int count;
    private boolean iterated;

    private Minibatches(ImageSet data, int batchSize, Augmentation augmentation, Random rng, boolean shuffle,
                        boolean skipSingleImage) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.augmentation = augmentation;
        this.rng = rng;
        int n = data.size();
        order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        count = count(n, batchSize, skipSingleImage);
    }

    /** The number of batches an epoch of {@code n} images yields (see {@link #shuffled}). */
    public static int count(int n, int batchSize, boolean skipSingleImage) {
        int full = (n + batchSize - 1) / batchSize;
        return skipSingleImage && n > 1 && n % batchSize == 1 ? full - 1 : full;
    }

    /**
     * A shuffled epoch.
     *
     * @param data            the labeled images
     * @param batchSize       images per batch (the last batch may be smaller)
     * @param augmentation    applied to every batch ({@link Augmentation#none()} for the images as they are)
     * @param rng             the shuffle and augmentation source
     * @param skipSingleImage leave out a last batch of one image (a training-mode batch norm cannot use it, and
     *                        PyTorch refuses it)
     */
    public static Minibatches shuffled(ImageSet data, int batchSize, Augmentation augmentation, Random rng,
                                       boolean skipSingleImage) {
        return new Minibatches(data, batchSize, augmentation, rng, true, skipSingleImage);
    }

    /** The data in its own order, without augmentation (for fixed passes such as evaluations). */
    public static Minibatches inOrder(ImageSet data, int batchSize) {
        return new Minibatches(data, batchSize, Augmentation.none(), new Random(0), false, false);
    }

    /** Number of batches this epoch yields. */
    public int count() {
        return count;
    }

    @Override
    public Iterator<Batch> iterator() {
        if (iterated) {
            throw new IllegalStateException("an epoch of mini-batches is iterated once; draw a new one");
        }
        iterated = true;
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next * batchSize;
                int[] idx = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
                int[] labels = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    labels[i] = data.label(idx[i]);
                }
                INDArray images = BatchAugmenter.apply(Batches.gather(data.images(), idx), augmentation, rng);
                return new Batch(next++, idx, images, labels);
            }
        };
    }
}
