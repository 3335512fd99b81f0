package io.purifier.engine.nn.layers;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.model.ParamInit;
import io.purifier.engine.nn.ArraySpec;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A node without inputs whose output is its buffer {@code value} (an imported model's constant operand: a mean to
 * subtract, per-channel scales, a bias added outside a layer). The value is a buffer, not a trained parameter; its
 * shape has no batch dimension and broadcasts against the batch where it is used.
 *
 * @param shape the value's shape (at least one dimension)
 */
public record Constant(long[] shape) implements Layer {

    /** Type id. */
    public static final String TYPE = "constant";

    /** Checks the shape. */
    public Constant {
        if (shape.length == 0) {
            throw new InvalidInputException("a constant needs at least one dimension (use [1] for a scalar)");
        }
        for (long d : shape) {
            if (d < 1) {
                throw new InvalidInputException("constant shape " + Arrays.toString(shape) + " has an empty dimension");
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

    static Constant from(Map<String, Object> a) {
        Object v = a.get("shape");
        if (!(v instanceof List<?> list) || list.isEmpty()) {
            throw new InvalidInputException("layer type '" + TYPE + "' needs attribute 'shape' (a list of sizes), got " + v);
        }
        long[] dims = new long[list.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new InvalidInputException("attribute 'shape' of layer type '" + TYPE + "' must hold sizes, got " + v);
            }
            dims[i] = n.longValue();
        }
        return new Constant(dims);
    }

    @Override
    public List<ArraySpec> arrays() {
        return List.of(ArraySpec.buffer("value", ParamInit.constant(0), shape));
    }

    @Override
    public long[] outputShape(List<long[]> inputs) {
        if (!inputs.isEmpty()) {
            throw new InvalidInputException("layer type '" + TYPE + "' takes no inputs, got " + inputs.size());
        }
        return shape.clone();
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        return ctx.array("value");
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        return new INDArray[0];
    }

    @Override
    public boolean outputIsView() {
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Constant c && Arrays.equals(c.shape, shape);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "Constant" + Arrays.toString(shape);
    }
}
