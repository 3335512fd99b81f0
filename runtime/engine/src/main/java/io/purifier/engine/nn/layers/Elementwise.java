package io.purifier.engine.nn.layers;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.Parallel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Element-wise {@code a + b}, {@code a - b}, {@code a * b} or {@code a / b} of two inputs with NumPy broadcasting
 * (a feature map times per-channel scales, an input minus a constant, a squeeze-and-excitation gate). Inputs of one
 * shape summed are better served by {@link Add}. The gradient of a broadcast operand is summed over the dimensions
 * it was broadcast along.
 *
 * @param op the operation
 */
public record Elementwise(Op op) implements Layer {

    /** Type id. */
    public static final String TYPE = "elementwise";

    /** The operations. */
    public enum Op {
        /** {@code a + b}. */
        ADD,
        /** {@code a - b}. */
        SUB,
        /** {@code a * b}. */
        MUL,
        /** {@code a / b}. */
        DIV;

        /** The id used in model files. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> attributes() {
        return Map.of("op", op.id());
    }

    static Elementwise from(Map<String, Object> a) {
        Object op = a.get("op");
        for (Op o : Op.values()) {
            if (o.id().equals(op)) {
                return new Elementwise(o);
            }
        }
        throw new InvalidInputException("attribute 'op' of layer type '" + TYPE + "' must be add, sub, mul or div, got "
                + op);
    }

    @Override
    public long[] outputShape(List<long[]> inputs) {
        if (inputs.size() != 2) {
            throw new InvalidInputException("layer type '" + TYPE + "' takes two inputs, got " + inputs.size());
        }
        return Broadcast.shape(inputs.get(0), inputs.get(1));
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        Broadcast bc = new Broadcast(inputs.get(0).shape(), inputs.get(1).shape());
        INDArray y = ctx.take(bc.out);
        Buf a = Buf.of(inputs.get(0));
        Buf b = Buf.of(inputs.get(1));
        Buf out = Buf.of(y);
        Parallel.forRange(bc.rows, bc.inner, (from, to) -> {
            for (int r = from; r < to; r++) {
                int oa = bc.offsetA(r);
                int ob = bc.offsetB(r);
                int o = r * bc.inner;
                for (int i = 0; i < bc.inner; i++) {
                    out.set(o + i, apply(a.get(oa + i * bc.stepA), b.get(ob + i * bc.stepB)));
                }
            }
        });
        return y;
    }

    private double apply(double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        };
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        INDArray a = inputs.get(0);
        INDArray b = inputs.get(1);
        Broadcast bc = new Broadcast(a.shape(), b.shape());
        INDArray ga = ctx.needsInputGradient(0) ? ctx.take(a.shape()) : null;
        INDArray gb = ctx.needsInputGradient(1) ? ctx.take(b.shape()) : null;
        if (ga != null) {
            gradient(bc, true, Buf.of(a), Buf.of(b), Buf.of(gradOut), Buf.of(ga));
        }
        if (gb != null) {
            gradient(bc, false, Buf.of(a), Buf.of(b), Buf.of(gradOut), Buf.of(gb));
        }
        return new INDArray[]{ga, gb};
    }

    /** The gradient of operand a ({@code ofA}) or b, summed over its broadcast positions. */
    private void gradient(Broadcast bc, boolean ofA, Buf a, Buf b, Buf g, Buf out) {
        boolean full = out.length() == g.length();
        if (!full) {
            for (int i = 0; i < out.length(); i++) {
                out.set(i, 0.0);
            }
        }
        Parallel.Range body = (from, to) -> {
            for (int r = from; r < to; r++) {
                int oa = bc.offsetA(r);
                int ob = bc.offsetB(r);
                int o = r * bc.inner;
                for (int i = 0; i < bc.inner; i++) {
                    int ia = oa + i * bc.stepA;
                    int ib = ob + i * bc.stepB;
                    double d = partial(ofA, a.get(ia), b.get(ib)) * g.get(o + i);
                    int at = ofA ? ia : ib;
                    out.set(at, full ? d : out.get(at) + d);
                }
            }
        };
        if (full) {
            Parallel.forRange(bc.rows, bc.inner, body);
        } else {
            body.run(0, bc.rows);
        }
    }

    private double partial(boolean ofA, double x, double y) {
        return switch (op) {
            case ADD -> 1.0;
            case SUB -> ofA ? 1.0 : -1.0;
            case MUL -> ofA ? y : x;
            case DIV -> ofA ? 1.0 / y : -x / (y * y);
        };
    }
}
