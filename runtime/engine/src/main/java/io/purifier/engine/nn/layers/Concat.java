package io.purifier.engine.nn.layers;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.Parallel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Joins its inputs along one axis after the batch ({@code torch.cat(xs, dim=axis)}; axis 1 joins channels). All
 * inputs have the same rank and the same sizes except along the axis. The backward pass hands each input its slice of
 * the output gradient.
 *
 * @param axis the axis (1 or more; the batch axis 0 cannot be joined)
 */
public record Concat(int axis) implements Layer {

    /** Type id. */
    public static final String TYPE = "concat";

    /** Checks the axis. */
    public Concat {
        if (axis < 1) {
            throw new InvalidInputException("concat joins along an axis after the batch (1 or more), got " + axis);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> attributes() {
        return Map.of("axis", axis);
    }

    static Concat from(Map<String, Object> a) {
        return new Concat(new Attrs(TYPE, a).integer("axis"));
    }

    @Override
    public long[] outputShape(List<long[]> inputs) {
        if (inputs.size() < 2) {
            throw new InvalidInputException("concat needs at least two inputs, got " + inputs.size());
        }
        long[] out = inputs.get(0).clone();
        if (axis >= out.length) {
            throw new InvalidInputException("concat axis " + axis + " does not exist in " + Arrays.toString(out));
        }
        for (int i = 1; i < inputs.size(); i++) {
            long[] s = inputs.get(i);
            boolean fits = s.length == out.length;
            for (int d = 0; fits && d < s.length; d++) {
                fits = d == axis || s[d] == out[d];
            }
            if (!fits) {
                throw new InvalidInputException("concat along axis " + axis + " needs equal other sizes, got "
                        + inputs.stream().map(Arrays::toString).toList());
            }
            out[axis] += s[axis];
        }
        return out;
    }

    /** The number of rows before the axis (the batch and any axes between). */
    private static int outer(long[] shape, int axis) {
        long o = 1;
        for (int d = 0; d < axis; d++) {
            o *= shape[d];
        }
        return Math.toIntExact(o);
    }

    /** The contiguous elements of one row from the axis on. */
    private static int block(long[] shape, int axis) {
        long b = 1;
        for (int d = axis; d < shape.length; d++) {
            b *= shape[d];
        }
        return Math.toIntExact(b);
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        long[] shape = outputShape(inputs.stream().map(INDArray::shape).toList());
        INDArray y = ctx.take(shape);
        copy(inputs, inputs.stream().map(INDArray::shape).toList(), y, true);
        return y;
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        INDArray[] grads = new INDArray[inputs.size()];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = ctx.needsInputGradient(i) ? ctx.take(inputs.get(i).shape()) : null;
        }
        copy(Arrays.asList(grads), inputs.stream().map(INDArray::shape).toList(), gradOut, false);
        return grads;
    }

    /** Copies the parts into the whole ({@code join}) or the whole into the parts (null parts are skipped). */
    private void copy(List<INDArray> parts, List<long[]> shapes, INDArray whole, boolean join) {
        int rows = outer(whole.shape(), axis);
        int total = block(whole.shape(), axis);
        Buf w = Buf.of(whole);
        int start = 0;
        for (int i = 0; i < parts.size(); i++) {
            INDArray part = parts.get(i);
            int size = block(shapes.get(i), axis);
            if (part != null) {
                Buf p = Buf.of(part);
                int at = start;
                Parallel.forRange(rows, size, (from, to) -> {
                    for (int r = from; r < to; r++) {
                        int wo = r * total + at;
                        int po = r * size;
                        for (int j = 0; j < size; j++) {
                            if (join) {
                                w.set(wo + j, p.get(po + j));
                            } else {
                                p.set(po + j, w.get(wo + j));
                            }
                        }
                    }
                });
            }
            start += size;
        }
    }
}
