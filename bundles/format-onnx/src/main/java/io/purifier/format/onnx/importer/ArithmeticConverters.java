package io.purifier.format.onnx.importer;

import io.purifier.engine.nn.layers.Add;
import io.purifier.engine.nn.layers.Elementwise;
import io.purifier.format.onnx.proto.OnnxNode;

import java.util.Arrays;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;

/**
 * {@code Add}, {@code Sub}, {@code Mul} and {@code Div}: folded when both operands are constants; a residual sum of
 * two tensors of one shape becomes {@link Add}; everything else (broadcasting, constant operands such as a mean to
 * subtract or per-channel scales) an {@link Elementwise} layer, with each constant operand in a constant node. A
 * constant must not broadcast over the batch (its leading dimensions are 1 where the tensor has its batch).
 */
final class ArithmeticConverters {

    private ArithmeticConverters() {
    }

    static void register(Map<String, NodeConverter> into) {
        into.put("Add", (n, ctx) -> convert(n, ctx, Elementwise.Op.ADD));
        into.put("Sub", (n, ctx) -> convert(n, ctx, Elementwise.Op.SUB));
        into.put("Mul", (n, ctx) -> convert(n, ctx, Elementwise.Op.MUL));
        into.put("Div", (n, ctx) -> convert(n, ctx, Elementwise.Op.DIV));
    }

    private static void convert(OnnxNode node, ImportContext ctx, Elementwise.Op op) {
        Value a = ctx.value(node, 0);
        Value b = ctx.value(node, 1);
        if (a instanceof ConstValue ca && b instanceof ConstValue cb) {
            boolean integer = ca.integer() && cb.integer();
            ctx.define(node, 0, ConstOps.broadcast(ca, cb, function(op, integer), integer));
            return;
        }
        Value.Dyn da = operand(node, ctx, 0, a, b);
        Value.Dyn db = operand(node, ctx, 1, b, a);
        if (op == Elementwise.Op.ADD && a instanceof Value.Dyn && b instanceof Value.Dyn
                && Arrays.equals(da.shape(), db.shape())) {
            ctx.define(node, 0, ctx.add(node, ctx.name(node, null), new Add(), true, da, db));
            return;
        }
        ctx.define(node, 0, ctx.add(node, ctx.name(node, null), new Elementwise(op), true, da, db));
    }

    /** {@code v} as an engine tensor: itself, or a constant node checked against the other operand's batch. */
    private static Value.Dyn operand(OnnxNode node, ImportContext ctx, int index, Value v, Value other) {
        if (v instanceof Value.Dyn d) {
            return d;
        }
        ConstValue c = (ConstValue) v;
        Value.Dyn tensor = (Value.Dyn) other;
        long[] dims = c.dims();
        if (dims.length > tensor.rank() || (dims.length == tensor.rank() && dims[0] != 1)) {
            throw ImportContext.problem(node, "its constant operand of shape " + c.describe()
                    + " would broadcast over the batch of " + tensor.describe());
        }
        return ctx.constantNode(node, index);
    }

    private static DoubleBinaryOperator function(Elementwise.Op op, boolean integer) {
        return switch (op) {
            case ADD -> Double::sum;
            case SUB -> (x, y) -> x - y;
            case MUL -> (x, y) -> x * y;
            case DIV -> integer ? (x, y) -> Double.isNaN(x) || Double.isNaN(y) || y == 0 ? Double.NaN : (double) (long) (x / y)
                    : (x, y) -> x / y;
        };
    }
}
