package io.purifier.defense.fp;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.layers.GlobalAvgPool;
import io.purifier.engine.nn.layers.Pool2d;

import java.util.List;

/**
 * Which layer Fine-Pruning prunes: the channels of the last convolutional stage, as the activations the classifier
 * head reads. By default the last public layer with a 4-D output ({@code [N, C, H, W]}) that is not a pooling
 * layer: {@code layer4} of {@code preact-resnet18} (its spatial mean is the {@code avgpool} output BackdoorBench
 * hooks), {@code relu2} of {@code small-cnn}, {@code block3.relu2} of {@code vgg-small}, and the last activated
 * convolution of an imported CNN. Pruning before a max or average pool equals pruning after it.
 */
final class PruningLayer {

    private PruningLayer() {
    }

    /**
     * The layer to prune.
     *
     * @param model     the model
     * @param requested the user's choice; empty for the default
     * @throws InvalidInputException when the requested layer does not exist or has no channels, or when the model
     *                               has no 4-D feature map to choose
     */
    static String choose(EngineModel model, String requested) {
        if (!requested.isEmpty()) {
            long[] shape = model.outputShape(requested, 2);
            if (shape.length != 4 && shape.length != 2) {
                throw new InvalidInputException("fp prunes channels, but layer '" + requested + "' has a " + shape.length
                        + "-D output; choose a layer with output [N, C, H, W] or [N, C]");
            }
            return requested;
        }
        List<String> layers = model.layerNames();
        for (int i = layers.size() - 1; i >= 0; i--) {
            String layer = layers.get(i);
            var node = model.network().node(model.layerNode(layer));
            boolean pooling = node.layer() instanceof Pool2d || node.layer() instanceof GlobalAvgPool;
            if (!pooling && model.outputShape(layer, 2).length == 4) {
                return layer;
            }
        }
        throw new InvalidInputException("fp prunes convolutional channels, but model '" + model.architectureId()
                + "' has no layer with a 4-D output (layers: " + String.join(", ", layers) + "); name one with 'layer'");
    }
}
