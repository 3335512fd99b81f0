package io.purifier.engine.blocks;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import io.purifier.engine.model.ParamInit;
import io.purifier.engine.nn.Node;
import io.purifier.engine.nn.layers.BatchNorm;
import io.purifier.engine.nn.layers.Conv2d;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Inserts new layers into a trained model: after a named layer (every consumer of its output reads the new block
 * instead) or at the input of one layer (only that layer reads the new block, as a PyTorch forward pre-hook would).
 * New public layers are listed next to the insertion point.
 */
public final class LayerInsertion {

    private LayerInsertion() {
    }

    /** Where a block goes. */
    public enum Placement {
        /** On the layer's output, for every consumer. */
        OUTPUT,
        /** On the layer's (first) input, for that layer only. */
        INPUT
    }

    /**
     * Inserts an arbitrary block after {@code afterLayer}.
     *
     * @param model      the model, changed in place
     * @param afterLayer the layer whose output feeds the block
     * @param seed       seed of the new arrays' initialisers
     * @param block      adds the block's nodes with the builder, reading the given node, and returns its output node
     * @return the block's output node
     */
    public static String insert(EngineModel model, String afterLayer, long seed,
                                BiFunction<GraphBuilder, String, String> block) {
        synchronized (model) {
            GraphBuilder b = GraphBuilder.extend(model, seed);
            String out = block.apply(b, model.layerNode(afterLayer));
            b.insertAfter(afterLayer, out);
            return out;
        }
    }

    /**
     * Inserts an arbitrary block in front of the first input of {@code layer}'s node, for that node only.
     *
     * @return the block's output node
     */
    public static String insertAtInput(EngineModel model, String layer, long seed,
                                       BiFunction<GraphBuilder, String, String> block) {
        synchronized (model) {
            String node = model.layerNode(layer);
            GraphBuilder b = GraphBuilder.extend(model, seed);
            String out = block.apply(b, b.inputOf(node, 0));
            b.insertBefore(node, 0, out, layer);
            return out;
        }
    }

    /**
     * Inserts a 1x1 convolution (identity-initialised, no bias) followed by batch norm whose running statistics make
     * it the identity in eval mode ({@code mean 0, var 1 - eps, gamma 1, beta 0}), so the model's eval outputs are
     * unchanged right after insertion. Names: {@code name + ".conv"}, {@code name + ".bn"}.
     *
     * @param model     the model, changed in place
     * @param layer     a layer with a 4-D output (placement OUTPUT) or a 4-D first input (placement INPUT)
     * @param placement on the layer's output, or on its input
     * @param name      prefix of the new layers
     * @param seed      seed (the identity init is deterministic anyway)
     * @return the names of the new layers
     * @throws InvalidInputException when the tensor is not 4-D or the names are taken
     */
    public static List<String> insertIdentityConvBn(EngineModel model, String layer, Placement placement, String name,
                                                    long seed) {
        long[] shape = placement == Placement.OUTPUT ? model.outputShape(layer, 2) : inputShape(model, layer);
        if (shape.length != 4) {
            throw new InvalidInputException("layer '" + layer + "' has a " + shape.length + "-D "
                    + (placement == Placement.OUTPUT ? "output" : "input")
                    + "; a 1x1 conv + BN needs a 4-D [N, C, H, W] tensor");
        }
        int c = (int) shape[1];
        String convName = name + ".conv";
        String bnName = name + ".bn";
        BiFunction<GraphBuilder, String, String> block = (b, x) -> {
            String y = b.node(convName, Conv2d.square(c, c, 1, 1, 0, false), true, Map.of("W", ParamInit.identity()), x);
            return b.node(bnName, BatchNorm.of(c), true, Map.of("var", ParamInit.constant(1.0 - BatchNorm.DEFAULT_EPS)), y);
        };
        if (placement == Placement.OUTPUT) {
            insert(model, layer, seed, block);
        } else {
            insertAtInput(model, layer, seed, block);
        }
        return List.of(convName, bnName);
    }

    /** The shape of the first input of {@code layer}'s node, for a batch of 2. */
    public static long[] inputShape(EngineModel model, String layer) {
        Node node = model.network().node(model.layerNode(layer));
        if (node.inputs().isEmpty()) {
            throw new InvalidInputException("layer '" + layer + "' has no input");
        }
        return model.nodeShape(node.inputs().get(0), 2);
    }

    /** The batch-norm layer created by {@link #insertIdentityConvBn} under {@code name}. */
    public static BatchNormLayer batchNormOf(String name, int channels) {
        return BatchNormLayer.named(name + ".bn", channels);
    }
}
