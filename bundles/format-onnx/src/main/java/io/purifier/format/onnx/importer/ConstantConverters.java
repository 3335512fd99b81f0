package io.purifier.format.onnx.importer;

import io.purifier.format.onnx.proto.OnnxAttribute;
import io.purifier.format.onnx.proto.OnnxNode;
import io.purifier.format.onnx.proto.OnnxTensor;

import java.util.Arrays;
import java.util.Map;

/**
 * Operators evaluated at import time: {@code Constant}, {@code ConstantOfShape}, {@code Shape} (of a computed tensor:
 * its sizes with a symbolic batch), and {@code Gather}, {@code Slice}, {@code Transpose} and {@code Cast} on
 * constants, as {@code torch.onnx.export} writes them for {@code x.view(x.size(0), -1)} or {@code F.pad}. A
 * {@code Cast} of a computed tensor to a floating-point type passes it through; anything else on a computed tensor is
 * refused.
 */
final class ConstantConverters {

    private ConstantConverters() {
    }

    static void register(Map<String, NodeConverter> into) {
        into.put("Constant", ConstantConverters::constant);
        into.put("ConstantOfShape", ConstantConverters::constantOfShape);
        into.put("Shape", ConstantConverters::shape);
        into.put("Gather", ConstantConverters::gather);
        into.put("Slice", ConstantConverters::slice);
        into.put("Transpose", ConstantConverters::transpose);
        into.put("Cast", ConstantConverters::cast);
    }

    private static void constant(OnnxNode node, ImportContext ctx) {
        NodeAttributes at = new NodeAttributes(node);
        OnnxAttribute a;
        if ((a = at.raw("value")) != null && a.t() != null) {
            ctx.define(node, 0, ConstValue.of(a.t()));
        } else if ((a = at.raw("value_float")) != null) {
            ctx.define(node, 0, ConstValue.of(new long[0], new double[]{a.f()}, false));
        } else if ((a = at.raw("value_int")) != null) {
            ctx.define(node, 0, ConstValue.of(new long[0], new double[]{a.i()}, true));
        } else if ((a = at.raw("value_floats")) != null) {
            double[] v = new double[a.floats().length];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.floats()[i];
            }
            ctx.define(node, 0, ConstValue.of(new long[]{v.length}, v, false));
        } else if ((a = at.raw("value_ints")) != null) {
            ctx.define(node, 0, ConstValue.ofLongs(a.ints()));
        } else {
            throw at.problem("only tensor, float and integer constants are supported, got attributes "
                    + node.attributes().keySet());
        }
    }

    private static void constantOfShape(OnnxNode node, ImportContext ctx) {
        long[] dims = ctx.constant(node, 0, "shape").longs("the shape");
        if (Arrays.stream(dims).anyMatch(d -> d < 0)) {
            throw ImportContext.problem(node, "builds a constant whose shape " + Arrays.toString(dims)
                    + " depends on the batch size");
        }
        OnnxAttribute a = new NodeAttributes(node).raw("value");
        double fill = a == null || a.t() == null ? 0.0 : a.t().toDoubles()[0];
        boolean integer = a != null && a.t() != null && !a.t().isFloatingPoint();
        double[] v = new double[(int) ConstOps.volume(dims)];
        Arrays.fill(v, fill);
        ctx.define(node, 0, ConstValue.of(dims, v, integer));
    }

    private static void shape(OnnxNode node, ImportContext ctx) {
        long[] dims = ctx.shapeOf(node, 0);
        boolean dynamic = ctx.isDynamic(node, 0);
        double[] values = new double[dims.length];
        for (int i = 0; i < dims.length; i++) {
            values[i] = dynamic && i == 0 ? ConstValue.BATCH : dims[i];
        }
        NodeAttributes at = new NodeAttributes(node);
        int start = (int) clamp(at.integer("start", 0), dims.length);
        int end = (int) clamp(at.integer("end", dims.length), dims.length);
        double[] part = Arrays.copyOfRange(values, start, Math.max(start, end));
        ctx.define(node, 0, ConstValue.of(new long[]{part.length}, part, true));
    }

    private static long clamp(long i, int rank) {
        long j = i < 0 ? i + rank : i;
        return Math.max(0, Math.min(rank, j));
    }

    private static void gather(OnnxNode node, ImportContext ctx) {
        ConstValue data = ctx.constant(node, 0, "data");
        ConstValue indices = ctx.constant(node, 1, "indices");
        long axis = new NodeAttributes(node).integer("axis", 0);
        ctx.define(node, 0, ConstOps.gather(data, indices, (int) (axis < 0 ? axis + data.rank() : axis)));
    }

    private static void slice(OnnxNode node, ImportContext ctx) {
        ConstValue data = ctx.constant(node, 0, "data");
        NodeAttributes at = new NodeAttributes(node);
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps;
        if (ctx.opset() < 10) {
            starts = at.ints("starts", new long[0]);
            ends = at.ints("ends", new long[0]);
            axes = at.ints("axes", (long[]) null);
            steps = null;
        } else {
            starts = ctx.constant(node, 1, "starts").longs("the starts");
            ends = ctx.constant(node, 2, "ends").longs("the ends");
            axes = ctx.has(node, 3) ? ctx.constant(node, 3, "axes").longs("the axes") : null;
            steps = ctx.has(node, 4) ? ctx.constant(node, 4, "steps").longs("the steps") : null;
        }
        if (starts.length != ends.length) {
            throw at.problem("has " + starts.length + " starts but " + ends.length + " ends");
        }
        if (axes == null) {
            axes = new long[starts.length];
            Arrays.setAll(axes, i -> i);
        }
        if (steps == null) {
            steps = new long[starts.length];
            Arrays.fill(steps, 1);
        }
        ctx.define(node, 0, ConstOps.slice(data, starts, ends, axes, steps));
    }

    private static void transpose(OnnxNode node, ImportContext ctx) {
        ConstValue data = ctx.constant(node, 0, "data");
        long[] perm = new NodeAttributes(node).ints("perm", (long[]) null);
        if (perm == null) {
            perm = new long[data.rank()];
            Arrays.setAll(perm, i -> data.rank() - 1 - i);
        }
        ctx.define(node, 0, ConstOps.transpose(data, perm));
    }

    private static void cast(OnnxNode node, ImportContext ctx) {
        int to = (int) new NodeAttributes(node).integer("to", OnnxTensor.FLOAT);
        boolean floating = to == OnnxTensor.FLOAT || to == OnnxTensor.DOUBLE || to == OnnxTensor.FLOAT16;
        Value v = ctx.value(node, 0);
        if (v instanceof Value.Dyn) {
            if (!floating) {
                throw ImportContext.problem(node, "casts a computed tensor to " + OnnxTensor.typeName(to)
                        + " (only floating-point types are supported)");
            }
            ctx.define(node, 0, v);
            return;
        }
        ConstValue c = (ConstValue) v;
        double[] values = c.values().clone();
        if (!floating) {
            for (int i = 0; i < values.length; i++) {
                values[i] = Double.isNaN(values[i]) ? values[i] : to == OnnxTensor.BOOL ? (values[i] != 0 ? 1 : 0)
                        : (double) (long) values[i];
            }
        }
        ctx.define(node, 0, ConstValue.of(c.dims(), values, !floating));
    }
}
