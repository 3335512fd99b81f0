package io.purifier.attack.wanet;

import io.purifier.api.attack.TrainingBatch;
import io.purifier.api.attack.TrainingHook;
import io.purifier.data.poison.LabelMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * WaNet's per-batch poisoning, as BackdoorBench's {@code train_step}: the first {@code nBackdoor} samples of each
 * batch are warped with the fixed grid and relabelled; the next {@code nNoise} samples are warped with the grid plus
 * fresh random noise (noise mode) and keep their labels; the rest stay clean. The batch order is random already
 * (the trainer shuffles), so "the first" samples are a random share.
 */
final class WarpingHook implements TrainingHook {

    private final WarpGrid grid;
    private final LabelMode mode;
    private final int targetLabel;
    private final int numClasses;
    private final double poisonRatio;
    private final double crossRatio;

    WarpingHook(WarpGrid grid, LabelMode mode, int targetLabel, int numClasses, double poisonRatio,
                double crossRatio) {
        this.grid = grid;
        this.mode = mode;
        this.targetLabel = targetLabel;
        this.numClasses = numClasses;
        this.poisonRatio = poisonRatio;
        this.crossRatio = crossRatio;
    }

    /**
     * Backdoor samples in a batch of {@code batchSize}: {@code floor(poisonRatio * batchSize)} when that is at least
     * 1; otherwise 1 with probability {@code poisonRatio * batchSize} (one draw from {@code rng}) and else 0, so
     * that small batches still see the backdoor at the right average rate (BackdoorBench's
     * {@code generalize_to_lower_pratio}).
     */
    static int backdoorCount(double poisonRatio, int batchSize, Random rng) {
        double expected = poisonRatio * batchSize;
        if (expected >= 1) {
            return (int) Math.floor(expected);
        }
        return rng.nextDouble() < expected ? 1 : 0;
    }

    /** Noise-mode samples: {@code floor(backdoorCount * crossRatio)}, limited to what is left of the batch. */
    static int noiseCount(int backdoorCount, double crossRatio, int batchSize) {
        return (int) Math.min(batchSize - backdoorCount, Math.floor(backdoorCount * crossRatio));
    }

    @Override
    public TrainingBatch apply(TrainingBatch batch, Random rng) {
        int size = batch.size();
        int backdoor = backdoorCount(poisonRatio, size, rng);
        int noise = noiseCount(backdoor, crossRatio, size);
        if (backdoor + noise == 0) {
            return batch;
        }
        long[] shape = batch.images().shape();
        int channels = (int) shape[1];
        if (shape[2] != grid.height() || shape[3] != grid.width()) {
            throw new IllegalArgumentException("batch images are " + shape[2] + "x" + shape[3]
                    + " but the warping grid is " + grid.height() + "x" + grid.width());
        }
        float[] pixels = batch.images().castTo(DataType.FLOAT).dup('c').data().asFloat();
        int[] labels = batch.labels().clone();
        int imageSize = channels * grid.height() * grid.width();
        float[] image = new float[imageSize];
        for (int i = 0; i < backdoor + noise; i++) {
            System.arraycopy(pixels, i * imageSize, image, 0, imageSize);
            float[] warped;
            if (i < backdoor) {
                warped = grid.warp(image, channels);
                labels[i] = mode.backdoorLabel(labels[i], targetLabel, numClasses);
            } else {
                warped = grid.withRandomNoise(rng).warp(image, channels);
            }
            System.arraycopy(warped, 0, pixels, i * imageSize, imageSize);
        }
        return new TrainingBatch(Nd4j.create(pixels, shape, 'c'), labels, batch.indices().clone());
    }
}
