package io.purifier.engine.nn.layers;

import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.PoolKernels;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/** Global average pooling {@code [N, C, H, W] -> [N, C]}. */
public record GlobalAvgPool() implements Layer {

    /** Type id. */
    public static final String TYPE = "globalavgpool";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> attributes() {
        return Map.of();
    }

    @Override
    public long[] outputShape(List<long[]> inputs) {
        long[] s = Shapes.rank4(TYPE, inputs);
        return new long[]{s[0], s[1]};
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        INDArray x = inputs.get(0);
        long[] s = x.shape();
        INDArray y = ctx.take(s[0], s[1]);
        PoolKernels.globalAvgForward(Buf.of(x), Buf.of(y), (int) (s[0] * s[1]), (int) (s[2] * s[3]));
        return y;
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        if (!ctx.needsInputGradient(0)) {
            return new INDArray[]{null};
        }
        long[] s = inputs.get(0).shape();
        INDArray gx = ctx.take(s);
        PoolKernels.globalAvgBackward(Buf.of(gradOut), Buf.of(gx), (int) (s[0] * s[1]), (int) (s[2] * s[3]));
        return new INDArray[]{gx};
    }
}
