package io.purifier.engine.blocks;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import io.purifier.engine.nn.layers.ChannelScale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * Prunes channels of a named layer by multiplying its output with a constant 0/1 mask: a {@link ChannelScale} node
 * {@code layer.mask} (array {@link #maskName}) inserted after the layer. The mask stays applied during fine-tuning
 * (it is part of the network, not of the weights), is saved with the model, and the layer's name then points at the
 * masked output.
 */
public final class ChannelMask {

    private ChannelMask() {
    }

    /** The mask array's name for {@code layer}. */
    public static String maskName(String layer) {
        return layer + ".mask/scale";
    }

    /**
     * Applies (or replaces) the mask of {@code layer}.
     *
     * @param model the model, changed in place
     * @param layer a layer with output {@code [N, C, H, W]} or {@code [N, C]}
     * @param keep  per channel: true keeps it, false zeroes it
     * @throws InvalidInputException when the length does not match the channels
     */
    public static void apply(EngineModel model, String layer, boolean[] keep) {
        synchronized (model) {
            String name = maskName(layer);
            if (!model.hasArray(name)) {
                long[] shape = model.outputShape(layer, 2);
                if (shape.length != 4 && shape.length != 2) {
                    throw new InvalidInputException("layer '" + layer + "' has a " + shape.length
                            + "-D output; masks need [N, C, H, W] or [N, C]");
                }
                checkLength(layer, shape[1], keep);
                GraphBuilder b = GraphBuilder.extend(model, model.seed());
                String node = model.layerNode(layer);
                b.node(layer + ".mask", new ChannelScale((int) shape[1], false), false, Map.of(), node);
                b.insertAfter(layer, layer + ".mask");
                model.network().retap(layer, layer + ".mask");
            }
            INDArray mask = model.array(name);
            checkLength(layer, mask.length(), keep);
            mask.assign(values(keep, model));
        }
    }

    /** The current mask of {@code layer} (all true when none was applied). */
    public static boolean[] keep(EngineModel model, String layer) {
        String name = maskName(layer);
        synchronized (model) {
            if (!model.hasArray(name)) {
                boolean[] all = new boolean[(int) model.outputShape(layer, 2)[1]];
                java.util.Arrays.fill(all, true);
                return all;
            }
            INDArray mask = model.array(name);
            boolean[] out = new boolean[(int) mask.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = mask.getDouble(i) != 0;
            }
            return out;
        }
    }

    private static void checkLength(String layer, long channels, boolean[] keep) {
        if (keep.length != channels) {
            throw new InvalidInputException("layer '" + layer + "' has " + channels + " channels but the mask has " + keep.length);
        }
    }

    private static INDArray values(boolean[] keep, EngineModel model) {
        double[] v = new double[keep.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = keep[i] ? 1 : 0;
        }
        return Nd4j.create(v, new long[]{v.length}, model.dataType());
    }

}
