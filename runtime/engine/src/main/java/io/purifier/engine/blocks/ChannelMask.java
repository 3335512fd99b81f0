package io.purifier.engine.blocks;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.model.EngineModel;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Prunes channels of a named layer by multiplying its output with a constant 0/1 mask in the graph
 * ({@code layer/channel_mask}). The mask stays applied during fine-tuning (it is part of the graph, not of the
 * weights), is saved with the model, and the layer's tap then points at the masked output.
 */
public final class ChannelMask {

    private ChannelMask() {
    }

    /** The mask constant's name for {@code layer}. */
    public static String maskName(String layer) {
        return layer + "/channel_mask";
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
            if (model.hasVariable(name)) {
                INDArray mask = model.array(name);
                checkLength(layer, mask.length(), keep);
                mask.assign(values(keep, mask.shape(), model));
                return;
            }
            long[] shape = LayerShapes.outputShape(model, layer);
            int channels = (int) shape[1];
            checkLength(layer, channels, keep);
            long[] maskShape = shape.length == 4 ? new long[]{1, channels, 1, 1} : new long[]{1, channels};
            if (shape.length != 4 && shape.length != 2) {
                throw new InvalidInputException("layer '" + layer + "' has a " + shape.length + "-D output; masks need [N, C, H, W] or [N, C]");
            }
            String var = model.layerOutput(layer);
            List<String> consumers = model.consumersOf(var);
            SameDiff sd = model.graph();
            SDVariable mask = sd.constant(name, values(keep, maskShape, model));
            SDVariable masked = sd.getVariable(var).mul(layer + "/masked", mask);
            model.rewire(var, masked, consumers);
            model.retap(layer, masked.name());
        }
    }

    /** The current mask of {@code layer} (all true when none was applied). */
    public static boolean[] keep(EngineModel model, String layer) {
        String name = maskName(layer);
        synchronized (model) {
            if (!model.hasVariable(name)) {
                boolean[] all = new boolean[(int) LayerShapes.outputShape(model, layer)[1]];
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

    private static INDArray values(boolean[] keep, long[] shape, EngineModel model) {
        double[] v = new double[keep.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = keep[i] ? 1 : 0;
        }
        return Nd4j.create(v, shape, model.dataType());
    }
}
