package io.purifier.defense.wiper;

import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamProblem;
import io.purifier.engine.model.EngineModel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves the {@code layers} parameter against a model: a comma-separated list of layer names or aliases.
 * Aliases are resolved from the model's own layers, so they work for every architecture:
 * <ul>
 *   <li>{@value #CLASSIFIER}: the last layer with a 2-D weight {@code layer/W} (the output layer: {@code fc2} of
 *       small-cnn and vgg-small, {@code linear} of preact-resnet18);</li>
 *   <li>{@value #PENULTIMATE}: the 2-D-weight layer before it ({@code fc1}; preact-resnet18 has none);</li>
 *   <li>{@value #LAST_CONV}: the last layer with a 4-D weight ({@code conv2}, {@code conv3_2},
 *       {@code layer4.1.conv2}).</li>
 * </ul>
 * A literal layer name covers that layer's parameters and those of layers nested in it
 * ({@link EngineModel#parametersOf(String)}).
 *
 * @param layers     the resolved layer names, in the order given
 * @param parameters the parameters whose elements are purified, without duplicates
 */
record PurifyingLayers(List<String> layers, List<String> parameters) {

    /** Alias of the output layer. */
    static final String CLASSIFIER = "classifier";
    /** Alias of the dense layer before the output layer. */
    static final String PENULTIMATE = "penultimate";
    /** Alias of the last convolution. */
    static final String LAST_CONV = "last-conv";

    /**
     * Resolves {@code spec} against {@code model}.
     *
     * @throws InvalidParametersException naming {@code layers} when the list is empty, names an unknown layer, a
     *                                    layer without parameters, or an alias the model cannot satisfy
     */
    static PurifyingLayers resolve(String spec, EngineModel model) {
        List<String> names = new ArrayList<>();
        for (String token : spec.split(",")) {
            String t = token.trim();
            if (!t.isEmpty()) {
                names.add(t);
            }
        }
        if (names.isEmpty()) {
            throw problem(spec, "list at least one layer name or one of the aliases " + CLASSIFIER + ", "
                    + PENULTIMATE + ", " + LAST_CONV);
        }
        Set<String> layers = new LinkedHashSet<>();
        for (String name : names) {
            layers.add(switch (name) {
                case CLASSIFIER -> weightedLayers(model, 2, spec, name).get(0);
                case PENULTIMATE -> {
                    List<String> dense = weightedLayers(model, 2, spec, name);
                    if (dense.size() < 2) {
                        throw problem(spec, "model '" + model.architectureId() + "' has no dense layer before its "
                                + "classifier '" + dense.get(0) + "', so '" + PENULTIMATE + "' does not exist");
                    }
                    yield dense.get(1);
                }
                case LAST_CONV -> weightedLayers(model, 4, spec, name).get(0);
                default -> name;
            });
        }
        Set<String> parameters = new LinkedHashSet<>();
        for (String layer : layers) {
            if (!model.layerNames().contains(layer)) {
                throw problem(spec, "model '" + model.architectureId() + "' has no layer named '" + layer
                        + "' (layers: " + String.join(", ", model.layerNames()) + ")");
            }
            List<String> owned = model.parametersOf(layer);
            if (owned.isEmpty()) {
                throw problem(spec, "layer '" + layer + "' has no parameters to purify");
            }
            parameters.addAll(owned);
        }
        return new PurifyingLayers(List.copyOf(layers), List.copyOf(parameters));
    }

    /** Layers owning a weight {@code layer/W} of the given rank, last first. */
    private static List<String> weightedLayers(EngineModel model, int rank, String spec, String alias) {
        Set<String> params = new LinkedHashSet<>(model.parameterNames());
        List<String> out = new ArrayList<>();
        List<String> layers = model.layerNames();
        for (int i = layers.size() - 1; i >= 0; i--) {
            String w = layers.get(i) + "/W";
            if (params.contains(w) && model.array(w).rank() == rank) {
                out.add(layers.get(i));
            }
        }
        if (out.isEmpty()) {
            throw problem(spec, "model '" + model.architectureId() + "' has no " + (rank == 2 ? "dense" : "convolution")
                    + " layer, so '" + alias + "' does not exist");
        }
        return out;
    }

    private static InvalidParametersException problem(String spec, String reason) {
        return new InvalidParametersException(List.of(new ParamProblem("layers", spec, reason)));
    }
}
