package io.purifier.defense.npd;

import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamProblem;
import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.blocks.LayerInsertion;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.layers.Conv2d;

import java.util.List;
import java.util.Map;

/**
 * Inserts the neural polarizer, {@code NP(h) = BN(W * h)} with W a bias-free 1x1 convolution C to C initialised to
 * the identity, into an {@link EngineModel}.
 *
 * <p>{@link NpdParams.Placement#INPUT} reproduces BackdoorBench's forward pre-hook: the polarizer transforms the
 * input of one convolution and only that convolution sees it (in a PreAct block, {@code layerS.B.conv1}'s input is
 * {@code ReLU(BN1(x))}; the identity shortcut keeps the raw x, so only the residual branch is polarized).
 * {@link NpdParams.Placement#OUTPUT} transforms a layer's output for every consumer (the MindSpore variant).</p>
 *
 * <p>The batch norm starts with running mean 0 and running variance {@code 1 - eps}, so right after insertion the
 * polarizer is exactly the identity in inference mode (PyTorch's fresh BatchNorm2d divides by
 * {@code sqrt(1 + eps)}; the warm-up replaces the statistics anyway).</p>
 */
final class PolarizerInsertion {

    /** BackdoorBench's insertion layer for PreAct-ResNet-18. */
    static final String PREACT_DEFAULT = "layer4.1.conv1";

    private PolarizerInsertion() {
    }

    /**
     * The layer NPD uses when the user names none: {@code layer4.1.conv1} for the zoo's PreAct-ResNet-18, the last
     * convolution (in forward order) for every other model.
     *
     * @throws io.purifier.api.InvalidInputException when the model has no convolution
     */
    static String defaultLayer(EngineModel model) {
        List<String> layers = model.layerNames();
        if ("preact-resnet18".equals(model.architectureId()) && layers.contains(PREACT_DEFAULT)) {
            return PREACT_DEFAULT;
        }
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (isConvolution(model, layers.get(i))) {
                return layers.get(i);
            }
        }
        throw new io.purifier.api.InvalidInputException("model '" + model.architectureId()
                + "' has no convolution layer, so NPD has no default insertion point (layers: "
                + String.join(", ", layers) + "); name one with the 'layer' parameter");
    }

    /** Whether {@code layer}'s output is produced by a 2-D convolution. */
    static boolean isConvolution(EngineModel model, String layer) {
        return model.network().node(model.layerNode(layer)).layer() instanceof Conv2d;
    }

    /**
     * Inserts a polarizer.
     *
     * @param model     the model, changed in place
     * @param layer     the layer to polarize (checked against the model's layers)
     * @param placement its input (a convolution's, that convolution only) or its output (every consumer)
     * @param seed      seed of the new parameters (the identity init is deterministic)
     * @return the names of the polarizer's parts
     * @throws InvalidParametersException naming {@code layer} when it does not exist or does not fit the placement
     */
    static Polarizer insert(EngineModel model, String layer, NpdParams.Placement placement, long seed) {
        List<String> layers = model.layerNames();
        if (!layers.contains(layer)) {
            throw layerProblem(layer, "model '" + model.architectureId() + "' has no such layer (layers: "
                    + String.join(", ", layers) + ")");
        }
        if (placement == NpdParams.Placement.INPUT && !isConvolution(model, layer)) {
            throw layerProblem(layer, "placement 'input' needs a convolution layer; '" + layer
                    + "' is not one (use placement 'output' to polarize its output)");
        }
        LayerInsertion.Placement where = placement == NpdParams.Placement.INPUT ? LayerInsertion.Placement.INPUT
                : LayerInsertion.Placement.OUTPUT;
        long[] shape = where == LayerInsertion.Placement.INPUT ? LayerInsertion.inputShape(model, layer)
                : model.outputShape(layer, 2);
        if (shape.length != 4) {
            throw layerProblem(layer, "the polarized tensor must be [N, C, H, W], but it has shape "
                    + java.util.Arrays.toString(shape));
        }
        int channels = (int) shape[1];
        String prefix = freePrefix(model);
        List<String> added = LayerInsertion.insertIdentityConvBn(model, layer, where, prefix, seed);
        BatchNormLayer bn = BatchNormLayer.named(added.get(1), channels);
        return new Polarizer(layer, placement, channels, added.get(0), added.get(0) + "/W", bn);
    }

    /**
     * Copies the trained state (weights, scale, shift, running statistics) of {@code from} into {@code to}, two
     * polarizers with the same layout.
     */
    static void copyState(EngineModel source, Polarizer from, EngineModel target, Polarizer to) {
        if (from.channels() != to.channels()) {
            throw new IllegalArgumentException("polarizers differ: " + from.channels() + " vs " + to.channels() + " channels");
        }
        List<String[]> pairs = List.of(
                new String[]{from.weight(), to.weight()},
                new String[]{from.batchNorm().gamma(), to.batchNorm().gamma()},
                new String[]{from.batchNorm().beta(), to.batchNorm().beta()},
                new String[]{from.batchNorm().runningMean(), to.batchNorm().runningMean()},
                new String[]{from.batchNorm().runningVar(), to.batchNorm().runningVar()});
        for (String[] p : pairs) {
            target.assign(p[1], source.array(p[0]));
        }
    }

    private static InvalidParametersException layerProblem(String layer, String message) {
        return new InvalidParametersException(List.of(new ParamProblem("layer", layer, message)));
    }

    /** {@code npd}, or {@code npd2}, {@code npd3}, ... when the model already carries polarizers. */
    private static String freePrefix(EngineModel model) {
        List<String> layers = model.layerNames();
        String prefix = "npd";
        for (int i = 2; layers.contains(prefix + ".conv"); i++) {
            prefix = "npd" + i;
        }
        return prefix;
    }
}
