package io.purifier.engine.nn.layers;

import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/** Passes its input through unchanged (a named point in the graph, for example the logits). */
public record Identity() implements Layer {

    /** Type id. */
    public static final String TYPE = "identity";

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
        return inputs.get(0);
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        return new INDArray[]{ctx.needsInputGradient(0) ? gradOut : null};
    }

    @Override
    public boolean outputIsView() {
        return true;
    }
}
