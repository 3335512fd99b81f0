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
 * Per-channel normalization {@code (x - mean) * inv_std} of [0, 1] pixels; {@code mean} and {@code inv_std} are
 * buffers (set from the model's normalization).
 *
 * @param channels channels
 */
public record Normalize(int channels) implements Layer {

    /** Type id. */
    public static final String TYPE = "normalize";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> attributes() {
        return Map.of("channels", channels);
    }

    static Normalize from(Map<String, Object> a) {
        return new Normalize(new Attrs(TYPE, a).integer("channels"));
    }

    @Override
    public List<ArraySpec> arrays() {
        return List.of(ArraySpec.buffer("mean", ParamInit.constant(0), channels),
                ArraySpec.buffer("inv_std", ParamInit.constant(1), channels));
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
        double[] scale = ctx.array("inv_std").toDoubleVector();
        double[] mean = ctx.array("mean").toDoubleVector();
        double[] shift = new double[channels];
        for (int c = 0; c < channels; c++) {
            shift[c] = -mean[c] * scale[c];
        }
        int[] ncs = Shapes.ncs(x.shape());
        ChannelKernels.affine(Buf.of(x), Buf.of(y), ncs[0], ncs[1], ncs[2], scale, shift);
        return y;
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        if (!ctx.needsInputGradient(0)) {
            return new INDArray[]{null};
        }
        INDArray gx = ctx.take(gradOut.shape());
        int[] ncs = Shapes.ncs(gradOut.shape());
        ChannelKernels.affine(Buf.of(gradOut), Buf.of(gx), ncs[0], ncs[1], ncs[2], ctx.array("inv_std").toDoubleVector(), null);
        return new INDArray[]{gx};
    }
}
