package io.purifier.api.model;

import io.purifier.api.data.Normalization;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Metadata every model carries.
 *
 * @param architecture  a short architecture name (for example {@code small-cnn}, {@code preact-resnet18})
 * @param channels      input channels
 * @param height        input height in pixels
 * @param width         input width in pixels
 * @param classNames    output class names, index = class
 * @param normalization the normalization the model applies to [0, 1] inputs itself
 * @param layerNames    named layers usable as inspection or insertion points, in forward order
 * @param properties    free-form provenance (for example the defenses applied so far)
 */
public record ModelInfo(String architecture, int channels, int height, int width, List<String> classNames,
                        Normalization normalization, List<String> layerNames, Map<String, String> properties) {

    /** Checks positivity of the shape and copies the collections. */
    public ModelInfo {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(normalization, "normalization");
        classNames = List.copyOf(classNames);
        layerNames = List.copyOf(layerNames);
        properties = Map.copyOf(properties);
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("input shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if (classNames.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classNames.size());
        }
    }

    /** Number of output classes. */
    public int numClasses() {
        return classNames.size();
    }

    /** The input shape as {@code CxHxW}. */
    public String inputShape() {
        return channels + "x" + height + "x" + width;
    }
}
