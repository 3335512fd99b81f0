package io.purifier.engine.nn.layers;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Gives each sample a new shape, keeping the batch: {@code [N, ...] -> [N, shape...]} in C order
 * ({@code x.view(x.size(0), *shape)}), as a view; {@link Flatten} is the common case {@code shape = [features]}.
 *
 * @param shape the sizes after the batch dimension
 */
public record Reshape(long[] shape) implements Layer {

    /** Type id. */
    public static final String TYPE = "reshape";

    /** Checks and copies the shape. */
    public Reshape {
        for (long d : shape) {
            if (d < 1) {
                throw new InvalidInputException("reshape sizes must be positive, got " + Arrays.toString(shape));
            }
        }
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> attributes() {
        List<Long> dims = new ArrayList<>();
        for (long d : shape) {
            dims.add(d);
        }
        return Map.of("shape", dims);
    }

    static Reshape from(Map<String, Object> a) {
        Object v = a.get("shape");
        if (!(v instanceof List<?> list)) {
            throw new InvalidInputException("layer type '" + TYPE + "' needs attribute 'shape' (a list of sizes), got " + v);
        }
        long[] dims = new long[list.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new InvalidInputException("attribute 'shape' of layer type '" + TYPE + "' must hold sizes, got " + v);
            }
            dims[i] = n.longValue();
        }
        return new Reshape(dims);
    }

    @Override
    public long[] outputShape(List<long[]> inputs) {
        long[] s = Shapes.only(TYPE, inputs);
        long in = 1;
        for (int d = 1; d < s.length; d++) {
            in *= s[d];
        }
        long out = 1;
        for (long d : shape) {
            out *= d;
        }
        if (in != out) {
            throw new InvalidInputException("cannot reshape " + Arrays.toString(s) + " to [N, "
                    + Arrays.toString(shape).substring(1) + " (" + in + " values per sample, not " + out + ")");
        }
        long[] result = new long[shape.length + 1];
        result[0] = s[0];
        System.arraycopy(shape, 0, result, 1, shape.length);
        return result;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof Reshape r && Arrays.equals(r.shape, shape);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "Reshape" + Arrays.toString(shape);
    }
}
