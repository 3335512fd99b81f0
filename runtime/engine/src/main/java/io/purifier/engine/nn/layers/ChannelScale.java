package io.purifier.engine.nn.layers;

import io.purifier.engine.model.ParamInit;
import io.purifier.engine.nn.ArraySpec;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.ChannelKernels;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * Multiplies every channel of {@code [N, C, ...]} by its entry of {@code scale} {@code [C]}: a 0/1 pruning mask
 * (a buffer), or a trainable mask as in neuron-pruning defenses (a parameter, with a gradient).
 *
 * @param channels  channels
 * @param trainable whether {@code scale} is a trained parameter (else a buffer)
 */
public record ChannelScale(int channels, boolean trainable) implements Layer {

    /** Type id. */
    public static final String TYPE = "channelscale";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> attributes() {
        return Map.of("channels", channels, "trainable", trainable);
    }

    static ChannelScale from(Map<String, Object> a) {
        Attrs at = new Attrs(TYPE, a);
        return new ChannelScale(at.integer("channels"), at.bool("trainable", false));
    }

    @Override
    public List<ArraySpec> arrays() {
        return List.of(trainable ? ArraySpec.parameter("scale", ParamInit.constant(1), channels)
                : ArraySpec.buffer("scale", ParamInit.constant(1), channels));
    }

    @Override
    public long[] outputShape(List<long[]> inputs) {
        long[] s = Shapes.only(TYPE, inputs);
        Shapes.channels(TYPE, s, channels);
        return s;
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        INDArray x = inputs.get(0);
        INDArray y = ctx.take(x.shape());
        int[] ncs = Shapes.ncs(x.shape());
        ChannelKernels.affine(Buf.of(x), Buf.of(y), ncs[0], ncs[1], ncs[2], ctx.array("scale").toDoubleVector(), null);
        return y;
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        INDArray x = inputs.get(0);
        int[] ncs = Shapes.ncs(x.shape());
        if (ctx.wantsGradient("scale")) {
            double[] dots = ChannelKernels.dots(Buf.of(gradOut), Buf.of(x), ncs[0], ncs[1], ncs[2]);
            INDArray g = ctx.take(channels);
            Buf b = Buf.of(g);
            for (int c = 0; c < channels; c++) {
                b.set(c, dots[c]);
            }
            ctx.parameterGradient("scale", g);
        }
        if (!ctx.needsInputGradient(0)) {
            return new INDArray[]{null};
        }
        INDArray gx = ctx.take(x.shape());
        ChannelKernels.affine(Buf.of(gradOut), Buf.of(gx), ncs[0], ncs[1], ncs[2], ctx.array("scale").toDoubleVector(), null);
        return new INDArray[]{gx};
    }
}
