package io.purifier.api.attack;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A picture for the UI: a clean sample, its poisoned version, or the trigger itself.
 *
 * @param caption short caption, e.g. "poisoned sample"
 * @param image   {@code [C, H, W]} pixels in [0, 1] (difference images are rescaled into [0, 1])
 */
public record PreviewImage(String caption, INDArray image) {

    /** Checks the rank. */
    public PreviewImage {
        if (image.rank() != 3) {
            throw new IllegalArgumentException("preview image must be [C, H, W], got rank " + image.rank());
        }
    }
}
