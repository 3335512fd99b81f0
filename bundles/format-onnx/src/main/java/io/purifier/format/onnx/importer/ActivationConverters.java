package io.purifier.format.onnx.importer;

import io.purifier.engine.nn.layers.Activation;
import io.purifier.engine.nn.layers.Relu;
import io.purifier.format.onnx.proto.OnnxNode;

import java.util.Map;

/**
 * Element-wise activations ({@code Relu}, {@code LeakyRelu}, {@code Sigmoid}, {@code Tanh}, {@code Clip}; a clip to
 * {@code [0, ∞)} is a ReLU), the pass-throughs of inference ({@code Dropout}, {@code Identity}), and a final
 * {@code Softmax}/{@code LogSoftmax}, which is dropped so that the model's output is its logits (the engine's losses
 * apply the softmax themselves); a softmax anywhere else is refused.
 */
final class ActivationConverters {

    private ActivationConverters() {
    }

    static void register(Map<String, NodeConverter> into) {
        into.put("Relu", (n, ctx) -> ctx.define(n, 0, ctx.add(n, ctx.name(n, null), new Relu(), true, ctx.dynamic(n, 0))));
        into.put("LeakyRelu", (n, ctx) -> activation(n, ctx,
                Activation.leakyRelu(new NodeAttributes(n).real("alpha", 0.01))));
        into.put("Sigmoid", (n, ctx) -> activation(n, ctx, Activation.sigmoid()));
        into.put("Tanh", (n, ctx) -> activation(n, ctx, Activation.tanh()));
        into.put("Clip", ActivationConverters::clip);
        into.put("Dropout", ActivationConverters::dropout);
        into.put("Identity", (n, ctx) -> ctx.define(n, 0, ctx.value(n, 0)));
        into.put("Softmax", ActivationConverters::finalSoftmax);
        into.put("LogSoftmax", ActivationConverters::finalSoftmax);
    }

    private static void activation(OnnxNode node, ImportContext ctx, Activation a) {
        ctx.define(node, 0, ctx.add(node, ctx.name(node, null), a, true, ctx.dynamic(node, 0)));
    }

    private static void clip(OnnxNode node, ImportContext ctx) {
        NodeAttributes at = new NodeAttributes(node);
        double min;
        double max;
        if (ctx.opset() < 11) {
            min = at.real("min", Double.NEGATIVE_INFINITY);
            max = at.real("max", Double.POSITIVE_INFINITY);
        } else {
            min = ctx.has(node, 1) ? ctx.constant(node, 1, "minimum").scalar("the minimum") : Double.NEGATIVE_INFINITY;
            max = ctx.has(node, 2) ? ctx.constant(node, 2, "maximum").scalar("the maximum") : Double.POSITIVE_INFINITY;
        }
        min = min <= -Float.MAX_VALUE ? Double.NEGATIVE_INFINITY : min;
        max = max >= Float.MAX_VALUE ? Double.POSITIVE_INFINITY : max;
        if (min > max) {
            throw at.problem("its minimum " + min + " exceeds its maximum " + max);
        }
        if (min == 0 && max == Double.POSITIVE_INFINITY) {
            ctx.define(node, 0, ctx.add(node, ctx.name(node, null), new Relu(), true, ctx.dynamic(node, 0)));
        } else {
            activation(node, ctx, Activation.clip(min, max));
        }
    }

    private static void dropout(OnnxNode node, ImportContext ctx) {
        ctx.requireUnused(node, 1, "mask");
        ctx.define(node, 0, ctx.value(node, 0));
    }

    private static void finalSoftmax(OnnxNode node, ImportContext ctx) {
        String out = node.outputs().get(0);
        if (!ctx.isGraphOutput(out) || !ctx.readers(out).isEmpty()) {
            throw new NodeAttributes(node).problem("a softmax is supported only as the model's last operation (it is "
                    + "dropped so that the output is the logits)");
        }
        Value.Dyn x = ctx.dynamic(node, 0);
        long axis = new NodeAttributes(node).integer("axis", ctx.opset() < 13 ? 1 : -1);
        if (x.rank() != 2 || (axis != 1 && axis != -1)) {
            throw new NodeAttributes(node).problem("the final softmax must run over the classes of [N, classes] "
                    + "logits, got axis " + axis + " of " + x.describe());
        }
        ctx.property("onnx.droppedOutputOperator", node.describe());
        ctx.define(node, 0, x);
    }
}
