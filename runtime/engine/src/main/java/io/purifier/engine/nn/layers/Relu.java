package io.purifier.engine.nn.layers;

import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.ElementKernels;
import io.purifier.engine.tensor.NativeOps;
import io.purifier.engine.tensor.OneDnnEltwise;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/** {@code max(x, 0)}; the gradient passes where the output is positive. */
public record Relu() implements Layer {

    /** Type id. */
    public static final String TYPE = "relu";

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
        return Shapes.only(TYPE, inputs);
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        INDArray x = inputs.get(0);
        INDArray y = ctx.take(x.shape());
        NativeOps.relu(x, y);
        return y;
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        if (!ctx.needsInputGradient(0)) {
            return new INDArray[]{null};
        }
        INDArray gx = ctx.take(gradOut.shape());
        if (OneDnnEltwise.accepts(output, gradOut, gx)) {
            OneDnnEltwise.reluBackward(output, gradOut, gx);
        } else {
            ElementKernels.reluBackward(Buf.of(output), Buf.of(gradOut), Buf.of(gx));
        }
        return new INDArray[]{gx};
    }
}
