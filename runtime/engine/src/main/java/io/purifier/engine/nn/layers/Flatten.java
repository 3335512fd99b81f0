package io.purifier.engine.nn.layers;

import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/** {@code [N, d1, d2, ...] -> [N, d1*d2*...]} in C order (PyTorch's {@code flatten(x, 1)}), as a view. */
public record Flatten() implements Layer {

    /** Type id. */
    public static final String TYPE = "flatten";

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
        long[] s = Shapes.only(TYPE, inputs);
        long f = 1;
        for (int d = 1; d < s.length; d++) {
            f *= s[d];
        }
        return new long[]{s[0], f};
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        INDArray x = inputs.get(0);
        return x.reshape('c', outputShape(List.of(x.shape())));
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        if (!ctx.needsInputGradient(0)) {
            return new INDArray[]{null};
        }
        return new INDArray[]{gradOut.reshape('c', inputs.get(0).shape())};
    }

    @Override
    public boolean outputIsView() {
        return true;
    }
}
