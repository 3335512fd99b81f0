package io.purifier.defense.nad;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.layers.Pool2d;

import java.util.ArrayList;
import java.util.List;

/**
 * The layers NAD distils attention on, each with its weight. Default for {@code preact-resnet18}: BackdoorBench's
 * choice for that model, the outputs of its last three children before {@code linear}: {@code layer3},
 * {@code layer4} and {@code avgpool}. Other models: the outputs of their last three pooling layers (the ends of the
 * convolutional stages: {@code pool1, pool2} of {@code small-cnn}, {@code block1..3.pool} of {@code vgg-small}), or
 * their last 4-D layer when they have no pooling. The weights are matched from the deepest layer backwards, so a
 * model with two stages uses {@code beta2, beta3}.
 *
 * @param layers the layer names, shallow to deep
 * @param betas  their weights
 */
record AttentionLayers(List<String> layers, List<Double> betas) {

    /** How many stage outputs the default takes at most. */
    static final int DEFAULT_COUNT = 3;

    /**
     * Resolves the layers for {@code model}.
     *
     * @throws InvalidInputException when a named layer does not exist, has an output that is neither 4-D nor 2-D,
     *                               or the model has no layer with a 4-D output to choose
     */
    static AttentionLayers choose(EngineModel model, NadParams p) {
        List<String> layers = p.layers().isEmpty() ? defaults(model) : p.layers();
        for (String layer : layers) {
            int rank = model.outputShape(layer, 2).length;
            if (rank != 4 && rank != 2) {
                throw new InvalidInputException("nad: layer '" + layer + "' has a " + rank
                        + "-D output; attention maps need [N, C, H, W] or [N, C]");
            }
        }
        if (layers.size() > p.betas().size()) {
            throw new InvalidInputException("nad: " + layers.size() + " attention layers (" + String.join(", ", layers)
                    + ") but only " + p.betas().size() + " betas");
        }
        List<Double> betas = p.betas().subList(p.betas().size() - layers.size(), p.betas().size());
        return new AttentionLayers(List.copyOf(layers), List.copyOf(betas));
    }

    private static List<String> defaults(EngineModel model) {
        if ("preact-resnet18".equals(model.architectureId())) {
            return List.of("layer3", "layer4", "avgpool");
        }
        List<String> pools = new ArrayList<>();
        String lastFourD = null;
        for (String layer : model.layerNames()) {
            if (model.outputShape(layer, 2).length != 4) {
                continue;
            }
            lastFourD = layer;
            if (model.network().node(model.layerNode(layer)).layer() instanceof Pool2d) {
                pools.add(layer);
            }
        }
        if (!pools.isEmpty()) {
            return pools.subList(Math.max(0, pools.size() - DEFAULT_COUNT), pools.size());
        }
        if (lastFourD != null) {
            return List.of(lastFourD);
        }
        throw new InvalidInputException("nad distils attention maps of convolutional features, but model '"
                + model.architectureId() + "' has no layer with a 4-D output (layers: "
                + String.join(", ", model.layerNames()) + "); name layers with 'layers'");
    }
}
