package io.purifier.api.attack;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One mini-batch as the trainer sees it, before normalization.
 *
 * @param images  {@code [B, C, H, W]} pixels in [0, 1]
 * @param labels  B labels
 * @param indices B indices into the training set the images came from
 */
public record TrainingBatch(INDArray images, int[] labels, int[] indices) {

    /** Checks that the three parts agree in size. */
    public TrainingBatch {
        if (images.size(0) != labels.length || labels.length != indices.length) {
            throw new IllegalArgumentException("batch parts disagree: " + images.size(0) + " images, "
                    + labels.length + " labels, " + indices.length + " indices");
        }
    }

    /** Batch size. */
    public int size() {
        return labels.length;
    }
}
