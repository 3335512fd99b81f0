package io.purifier.format.onnx.importer;

import io.purifier.engine.nn.layers.Concat;
import io.purifier.engine.nn.layers.Flatten;
import io.purifier.engine.nn.layers.Pad2d;
import io.purifier.engine.nn.layers.Reshape;
import io.purifier.format.onnx.proto.OnnxNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Operators that rearrange a tensor: {@code Flatten}, {@code Reshape}, {@code Squeeze}, {@code Unsqueeze}
 * (views that keep the batch as the first dimension; a target such as {@code [N, -1]} computed from {@code Shape}, or
 * {@code [1, -1]} in a file exported with batch 1, keeps it), {@code Concat} (along an axis after the batch) and
 * {@code Pad} (constant mode, spatial axes). On constants they are folded.
 */
final class ShapeConverters {

    private ShapeConverters() {
    }

    static void register(Map<String, NodeConverter> into) {
        into.put("Flatten", ShapeConverters::flatten);
        into.put("Reshape", ShapeConverters::reshape);
        into.put("Squeeze", (n, ctx) -> squeeze(n, ctx, true));
        into.put("Unsqueeze", (n, ctx) -> squeeze(n, ctx, false));
        into.put("Concat", ShapeConverters::concat);
        into.put("Pad", ShapeConverters::pad);
    }

    private static void flatten(OnnxNode node, ImportContext ctx) {
        long axis = new NodeAttributes(node).integer("axis", 1);
        if (!ctx.isDynamic(node, 0)) {
            ConstValue c = ctx.constant(node, 0, "data");
            int a = (int) (axis < 0 ? axis + c.rank() : axis);
            long[] d = c.dims();
            ctx.define(node, 0, ConstOps.reshape(c, new long[]{ConstOps.volume(Arrays.copyOf(d, a)),
                ConstOps.volume(Arrays.copyOfRange(d, a, d.length))}));
            return;
        }
        Value.Dyn x = shapeOf(node, ctx);
        int a = (int) (axis < 0 ? axis + x.rank() : axis);
        if (a != 1) {
            throw ImportContext.problem(node, "flattening " + x.describe() + " at axis " + axis
                    + " would merge the batch with other dimensions (only axis 1 keeps it)");
        }
        view(node, ctx, new long[]{x.perSample()});
    }

    private static void reshape(OnnxNode node, ImportContext ctx) {
        long[] t = ctx.constant(node, 1, "target shape").longs("the target shape");
        boolean allowZero = new NodeAttributes(node).integer("allowzero", 0) != 0;
        if (!ctx.isDynamic(node, 0)) {
            ConstValue c = ctx.constant(node, 0, "data");
            if (Arrays.stream(t).anyMatch(d -> d == Long.MIN_VALUE)) {
                throw ImportContext.problem(node, "reshapes a constant to a size computed from the batch");
            }
            ctx.define(node, 0, ConstOps.reshape(c, ConstOps.reshapeTarget(c.dims(), t, allowZero)));
            return;
        }
        Value.Dyn x = shapeOf(node, ctx);
        if (t.length == 0 || !keepsBatch(t[0], allowZero, ctx.declaredBatch())) {
            throw ImportContext.problem(node, "target shape " + describe(t) + " does not keep the batch of "
                    + x.describe() + " as its first dimension");
        }
        long[] rest = Arrays.copyOfRange(t, 1, t.length);
        for (int i = 0; i < rest.length; i++) {
            if (rest[i] == Long.MIN_VALUE) {
                throw ImportContext.problem(node, "target shape " + describe(t) + " uses the batch size after the batch");
            }
            if (rest[i] == 0 && !allowZero) {
                if (i + 1 >= x.rank()) {
                    throw ImportContext.problem(node, "target shape " + describe(t) + " copies a dimension "
                            + x.describe() + " lacks");
                }
                rest[i] = x.shape()[i + 1];
            }
        }
        if (t[0] == -1 && Arrays.stream(rest).anyMatch(d -> d == -1)) {
            throw ImportContext.problem(node, "target shape " + describe(t) + " has two -1");
        }
        long[] perSample = x.perSample() == 0 ? rest : ConstOps.reshapeTarget(new long[]{x.perSample()}, rest, false);
        view(node, ctx, perSample);
    }

    private static boolean keepsBatch(long first, boolean allowZero, long declaredBatch) {
        return first == Long.MIN_VALUE || first == -1 || (first == 0 && !allowZero)
                || (declaredBatch > 0 && first == declaredBatch);
    }

    private static void squeeze(OnnxNode node, ImportContext ctx, boolean squeeze) {
        Value v = ctx.isDynamic(node, 0) ? shapeOf(node, ctx) : ctx.constant(node, 0, "data");
        long[] axes = ctx.opset() < 13 ? new NodeAttributes(node).ints("axes", (long[]) null)
                : ctx.has(node, 1) ? ctx.constant(node, 1, "axes").longs("the axes") : null;
        long[] dims = v instanceof ConstValue c ? c.dims() : ((Value.Dyn) v).shape();
        if (axes == null && !squeeze) {
            throw ImportContext.problem(node, "has no axes");
        }
        int outRank = squeeze ? (axes == null ? (int) Arrays.stream(dims).filter(d -> d == 1).count() : 0)
                : dims.length + axes.length;
        List<Long> out = new ArrayList<>();
        if (squeeze) {
            for (int d = 0; d < dims.length; d++) {
                boolean listed = axes == null ? dims[d] == 1 : contains(axes, d, dims.length);
                if (listed && dims[d] != 1) {
                    throw ImportContext.problem(node, "cannot squeeze dimension " + d + " of size " + dims[d]);
                }
                if (!listed || (v instanceof Value.Dyn && d == 0)) {
                    out.add(dims[d]);
                }
            }
        } else {
            int src = 0;
            for (int d = 0; d < outRank; d++) {
                out.add(contains(axes, d, outRank) ? 1L : dims[src++]);
            }
        }
        long[] result = out.stream().mapToLong(Long::longValue).toArray();
        if (v instanceof ConstValue c) {
            ctx.define(node, 0, ConstOps.reshape(c, result));
            return;
        }
        if (contains(axes == null ? new long[0] : axes, 0, squeeze ? dims.length : outRank)) {
            throw ImportContext.problem(node, "would " + (squeeze ? "remove" : "insert") + " a dimension at the batch");
        }
        view(node, ctx, Arrays.copyOfRange(result, 1, result.length));
    }

    private static boolean contains(long[] axes, int d, int rank) {
        for (long a : axes) {
            if ((a < 0 ? a + rank : a) == d) {
                return true;
            }
        }
        return false;
    }

    /** The shape of input 0, a computed tensor, without making its node when it is a pending view. */
    private static Value.Dyn shapeOf(OnnxNode node, ImportContext ctx) {
        return new Value.Dyn(node.inputs().get(0), ctx.shapeOf(node, 0));
    }

    /** Defines output 0 as the input with per-sample shape {@code rest}, adding a view node only when needed. */
    private static void view(OnnxNode node, ImportContext ctx, long[] rest) {
        Value.Dyn flat = ctx.flatSource(node, 0);
        if (flat != null && rest.length == 1) {
            ctx.define(node, 0, flat);
            return;
        }
        Value.Dyn x = ctx.dynamic(node, 0);
        if (Arrays.equals(rest, Arrays.copyOfRange(x.shape(), 1, x.rank()))) {
            ctx.define(node, 0, x);
            return;
        }
        String name = ctx.name(node, null);
        ctx.define(node, 0, ctx.add(node, name, rest.length == 1 ? new Flatten() : new Reshape(rest), false, x));
    }

    private static void concat(OnnxNode node, ImportContext ctx) {
        long axis = new NodeAttributes(node).integer("axis", 0);
        List<Value> parts = new ArrayList<>();
        for (int i = 0; i < node.inputs().size(); i++) {
            parts.add(ctx.value(node, i));
        }
        if (parts.stream().allMatch(p -> p instanceof ConstValue)) {
            List<ConstValue> cs = parts.stream().map(p -> (ConstValue) p).toList();
            int rank = cs.get(0).rank();
            ctx.define(node, 0, ConstOps.concat(cs, (int) (axis < 0 ? axis + rank : axis)));
            return;
        }
        Value.Dyn[] inputs = new Value.Dyn[parts.size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = ctx.dynamic(node, i);
        }
        int a = (int) (axis < 0 ? axis + inputs[0].rank() : axis);
        if (a < 1) {
            throw ImportContext.problem(node, "joins along the batch axis");
        }
        if (inputs.length == 1) {
            ctx.define(node, 0, inputs[0]);
            return;
        }
        ctx.define(node, 0, ctx.add(node, ctx.name(node, null), new Concat(a), true, inputs));
    }

    private static void pad(OnnxNode node, ImportContext ctx) {
        NodeAttributes at = new NodeAttributes(node);
        String mode = at.text("mode", "constant").toLowerCase(Locale.ROOT);
        if (!mode.equals("constant")) {
            throw at.problem("padding mode '" + mode + "' is not supported (only constant)");
        }
        long[] pads;
        double value;
        if (ctx.opset() < 11) {
            pads = at.ints("pads", (long[]) null);
            value = at.real("value", 0.0);
        } else {
            pads = ctx.constant(node, 1, "pads").longs("the pads");
            value = ctx.has(node, 2) ? ctx.constant(node, 2, "constant value").scalar("the constant value") : 0.0;
        }
        Value.Dyn x = ctx.dynamic(node, 0);
        if (pads == null || x.rank() != 4 || pads.length != 8) {
            throw at.problem("only padding of the two spatial axes of [N, C, H, W] is supported, got pads "
                    + (pads == null ? "none" : Arrays.toString(pads)) + " for " + x.describe());
        }
        if (pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0) {
            throw at.problem("pads " + Arrays.toString(pads) + " pad the batch or channel axis");
        }
        if (Arrays.stream(pads).anyMatch(p -> p < 0)) {
            throw at.problem("negative pads " + Arrays.toString(pads) + " (cropping) are not supported");
        }
        Pad2d layer = new Pad2d((int) pads[2], (int) pads[3], (int) pads[6], (int) pads[7], value);
        ctx.define(node, 0, ctx.add(node, ctx.name(node, null), layer, true, x));
    }

    private static String describe(long[] t) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < t.length; i++) {
            s.append(i == 0 ? "" : ", ").append(t[i] == Long.MIN_VALUE ? "N" : Long.toString(t[i]));
        }
        return s.append("]").toString();
    }
}
