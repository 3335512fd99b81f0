package io.purifier.engine.nn.layers;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.NativeOps;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Element-wise sum of two inputs of the same shape (a residual connection). */
public record Add() implements Layer {

    /** Type id. */
    public static final String TYPE = "add";

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
        if (inputs.size() != 2 || !Arrays.equals(inputs.get(0), inputs.get(1))) {
            throw new InvalidInputException("add needs two inputs of the same shape, got "
                    + inputs.stream().map(Arrays::toString).toList());
        }
        return inputs.get(0);
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        INDArray y = ctx.take(inputs.get(0).shape());
        NativeOps.add(inputs.get(0), inputs.get(1), y);
        return y;
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        return new INDArray[]{ctx.needsInputGradient(0) ? gradOut : null, ctx.needsInputGradient(1) ? gradOut : null};
    }
}
