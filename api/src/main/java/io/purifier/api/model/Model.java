package io.purifier.api.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained image classifier. Implementations apply their own normalization: callers always pass pixels in
 * [0, 1]. The engine's models implement this and offer much more (graphs, layers, training); plugins that need
 * that use the engine's types directly.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface Model {

    /** Shape, classes, normalization and named layers. */
    ModelInfo info();

    /**
     * Inference-mode logits.
     *
     * @param images {@code [N, C, H, W]} pixels in [0, 1] matching {@link ModelInfo}'s shape
     * @return {@code [N, numClasses]} logits
     */
    INDArray logits(INDArray images);
}
