package io.purifier.engine.zoo;

import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;

import java.util.List;
import java.util.Objects;

/**
 * What a new model must accept and predict.
 *
 * @param channels      input channels
 * @param height        input height in pixels
 * @param width         input width in pixels
 * @param classNames    output classes, index = label (at least 2)
 * @param normalization per-channel normalization the model applies to [0, 1] inputs
 */
public record InputSpec(int channels, int height, int width, List<String> classNames, Normalization normalization) {

    /** Checks shape, classes and that the normalization has one entry per channel. */
    public InputSpec {
        Objects.requireNonNull(normalization, "normalization");
        classNames = List.copyOf(classNames);
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("input shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if (classNames.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classNames.size());
        }
        if (normalization.channels() != channels) {
            throw new IllegalArgumentException("normalization has " + normalization.channels()
                    + " channels but the input has " + channels);
        }
    }

    /** The shape and classes of {@code images}, with {@code normalization}. */
    public static InputSpec of(ImageSet images, Normalization normalization) {
        return new InputSpec(images.channels(), images.height(), images.width(), images.classNames(), normalization);
    }

    /** Number of classes. */
    public int numClasses() {
        return classNames.size();
    }
}
