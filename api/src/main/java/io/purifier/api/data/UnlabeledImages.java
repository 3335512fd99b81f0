package io.purifier.api.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * Images without labels, {@code [N, C, H, W]} in [0, 1]. A defense that declares an unlabeled data contract
 * receives only this type, so it cannot see labels by construction.
 */
public final class UnlabeledImages {

    private final INDArray images;

    /** @param images {@code [N, C, H, W]} tensor with values in [0, 1] */
    public UnlabeledImages(INDArray images) {
        Objects.requireNonNull(images, "images");
        if (images.rank() != 4) {
            throw new IllegalArgumentException("images must be [N, C, H, W], got rank " + images.rank());
        }
        this.images = images.dataType() == DataType.FLOAT ? images : images.castTo(DataType.FLOAT);
    }

    /** The pixels. Do not modify. */
    public INDArray images() {
        return images;
    }

    /** Number of images. */
    public int size() {
        return (int) images.size(0);
    }
}
