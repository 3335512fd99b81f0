package io.purifier.format.onnx.importer;

import io.purifier.engine.nn.layers.BatchNorm;
import io.purifier.engine.nn.layers.Conv2d;
import io.purifier.engine.nn.layers.Dense;
import io.purifier.engine.nn.layers.Pad2d;
import io.purifier.format.onnx.proto.OnnxNode;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operators with weights: {@code Conv} (2-D, groups, strides, dilations, explicit or automatic padding; the part
 * of an asymmetric padding beyond the symmetric one becomes a {@link Pad2d} in front), {@code BatchNormalization},
 * {@code Gemm} ({@code transB}, {@code alpha}, {@code beta}, bias) and {@code MatMul} by a constant matrix (with a
 * following constant {@code Add} folded into the bias). Weights become the engine layers' trainable parameters.
 */
final class LayerConverters {

    private LayerConverters() {
    }

    static void register(Map<String, NodeConverter> into) {
        into.put("Conv", LayerConverters::conv);
        into.put("BatchNormalization", LayerConverters::batchNorm);
        into.put("Gemm", LayerConverters::gemm);
        into.put("MatMul", LayerConverters::matMul);
    }

    private static void conv(OnnxNode node, ImportContext ctx) {
        NodeAttributes at = new NodeAttributes(node);
        Value.Dyn x = ctx.dynamic(node, 0);
        ConstValue w = ctx.constant(node, 1, "weight");
        long[] wd = w.dims();
        if (x.rank() != 4 || wd.length != 4) {
            throw at.problem("only 2-D convolutions of [N, C, H, W] inputs are supported, got input " + x.describe()
                    + " and weight " + w.describe());
        }
        int groups = (int) at.integer("group", 1);
        int in = (int) x.shape()[1];
        int out = (int) wd[0];
        if (groups < 1 || in % groups != 0 || wd[1] * groups != in) {
            throw at.problem("weight " + w.describe() + " with " + groups + " groups does not fit " + in
                    + " input channels");
        }
        int[] kernel = {(int) wd[2], (int) wd[3]};
        int[] declared = at.ints("kernel_shape", 2, kernel);
        if (!Arrays.equals(declared, kernel)) {
            throw at.problem("kernel_shape " + Arrays.toString(declared) + " differs from the weight's " + w.describe());
        }
        int[] stride = at.ints("strides", 2, new int[]{1, 1});
        int[] dilation = at.ints("dilations", 2, new int[]{1, 1});
        int[] pads = pads(at, x.shape(), kernel, stride, dilation);
        int[] sym = {Math.min(pads[0], pads[2]), Math.min(pads[1], pads[3])};
        String name = ctx.name(node, node.inputs().get(1));
        Value.Dyn input = x;
        if (pads[0] != pads[2] || pads[1] != pads[3]) {
            input = ctx.add(node, ctx.helperName(name + ".pad"), new Pad2d(pads[0] - sym[0], pads[1] - sym[1],
                    pads[2] - sym[0], pads[3] - sym[1], 0.0), false, x);
        }
        boolean bias = ctx.has(node, 2);
        Conv2d layer = new Conv2d(in, out, kernel, stride, sym, dilation, bias, groups);
        Value.Dyn y = ctx.add(node, name, layer, true, input);
        ctx.assign(node, name, "W", w.array(wd));
        if (bias) {
            ctx.assign(node, name, "b", ctx.constant(node, 2, "bias").array(out));
        }
        ctx.define(node, 0, y);
    }

    /** {@code [top, left, bottom, right]} from {@code pads} or {@code auto_pad}. */
    static int[] pads(NodeAttributes at, long[] x, int[] kernel, int[] stride, int[] dilation) {
        String auto = at.text("auto_pad", "NOTSET").toUpperCase(Locale.ROOT);
        switch (auto) {
            case "NOTSET" -> {
                return at.ints("pads", 4, new int[4]);
            }
            case "VALID" -> {
                return new int[4];
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                int[] p = new int[4];
                for (int a = 0; a < 2; a++) {
                    long size = x[2 + a];
                    long outSize = (size + stride[a] - 1) / stride[a];
                    long total = Math.max(0, (outSize - 1) * stride[a] + (long) (kernel[a] - 1) * dilation[a] + 1 - size);
                    long small = total / 2;
                    p[a] = (int) (auto.equals("SAME_UPPER") ? small : total - small);
                    p[a + 2] = (int) (total - p[a]);
                }
                return p;
            }
            default -> throw at.problem("auto_pad '" + auto + "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        }
    }

    private static void batchNorm(OnnxNode node, ImportContext ctx) {
        NodeAttributes at = new NodeAttributes(node);
        Value.Dyn x = ctx.dynamic(node, 0);
        if (at.integer("spatial", 1) != 1) {
            throw at.problem("spatial=0 (per-activation statistics) is not supported");
        }
        for (int i = 1; i < 5; i++) {
            ctx.requireUnused(node, i, "training statistics");
        }
        int channels = (int) x.shape()[1];
        String[] what = {"scale", "bias", "mean", "variance"};
        String[] suffix = {"gamma", "beta", "mean", "var"};
        double momentum = 1.0 - at.real("momentum", 0.9);
        String name = ctx.name(node, node.inputs().size() > 1 ? node.inputs().get(1) : null);
        Value.Dyn y = ctx.add(node, name, new BatchNorm(channels, at.real("epsilon", 1e-5),
                Math.max(0.0, Math.min(1.0, momentum))), true, x);
        for (int i = 0; i < 4; i++) {
            ConstValue c = ctx.constant(node, i + 1, what[i]);
            if (c.size() != channels) {
                throw at.problem("its " + what[i] + " has shape " + c.describe() + ", not one value per channel ("
                        + channels + ")");
            }
            ctx.assign(node, name, suffix[i], c.array(channels));
        }
        ctx.define(node, 0, y);
    }

    private static void gemm(OnnxNode node, ImportContext ctx) {
        NodeAttributes at = new NodeAttributes(node);
        Value.Dyn a = ctx.dynamic(node, 0);
        if (at.integer("transA", 0) != 0) {
            throw at.problem("transA=1 would transpose the batch; only transA=0 is supported");
        }
        if (a.rank() != 2) {
            throw at.problem("its input must be [N, features], got " + a.describe());
        }
        ConstValue b = ctx.constant(node, 1, "weight matrix B");
        boolean transB = at.integer("transB", 0) != 0;
        long[] bd = b.dims();
        if (bd.length != 2) {
            throw at.problem("B must be a matrix, got " + b.describe());
        }
        int k = (int) (transB ? bd[1] : bd[0]);
        int m = (int) (transB ? bd[0] : bd[1]);
        if (a.shape()[1] != k) {
            throw at.problem("input " + a.describe() + " does not fit B " + b.describe() + (transB ? " (transposed)" : ""));
        }
        INDArray weight = b.array(bd);
        weight = (transB ? weight.transpose() : weight).mul(at.real("alpha", 1.0)).dup('c');
        INDArray bias = null;
        if (ctx.has(node, 2)) {
            bias = vector(ctx.constant(node, 2, "bias C"), m, at).mul(at.real("beta", 1.0));
        }
        dense(node, ctx, a, k, m, weight, bias, node.inputs().get(1));
    }

    private static void matMul(OnnxNode node, ImportContext ctx) {
        NodeAttributes at = new NodeAttributes(node);
        Value.Dyn a = ctx.dynamic(node, 0);
        ConstValue b = ctx.constant(node, 1, "matrix");
        if (a.rank() != 2 || b.rank() != 2) {
            throw at.problem("only [N, K] x [K, M] with a constant matrix is supported, got " + a.describe() + " x "
                    + b.describe());
        }
        int k = (int) b.dims()[0];
        int m = (int) b.dims()[1];
        if (a.shape()[1] != k) {
            throw at.problem("input " + a.describe() + " does not fit the matrix " + b.describe());
        }
        INDArray bias = null;
        String out = node.outputs().get(0);
        List<OnnxNode> readers = ctx.readers(out);
        if (readers.size() == 1 && !ctx.isGraphOutput(out) && readers.get(0).opType().equals("Add")
                && readers.get(0).domain().isEmpty()) {
            OnnxNode add = readers.get(0);
            int other = add.inputs().get(0).equals(out) ? 1 : 0;
            if (ctx.has(add, other) && ctx.value(add, other) instanceof ConstValue c && (c.size() == m)
                    && c.rank() <= 2) {
                bias = c.array(m);
                ctx.absorb(add);
                dense(node, ctx, a, k, m, b.array(k, m), bias, node.inputs().get(1));
                ctx.define(add, 0, ctx.output(out));
                return;
            }
        }
        dense(node, ctx, a, k, m, b.array(k, m), null, node.inputs().get(1));
    }

    private static void dense(OnnxNode node, ImportContext ctx, Value.Dyn a, int k, int m, INDArray weight,
                              INDArray bias, String weightName) {
        String name = ctx.name(node, weightName);
        Value.Dyn y = ctx.add(node, name, new Dense(k, m, bias != null), true, a);
        ctx.assign(node, name, "W", weight);
        if (bias != null) {
            ctx.assign(node, name, "b", bias);
        }
        ctx.define(node, 0, y);
    }

    /** A bias broadcast to {@code [m]} (a scalar, {@code [m]} or {@code [1, m]}). */
    private static INDArray vector(ConstValue c, int m, NodeAttributes at) {
        if (c.size() == m) {
            return c.array(m);
        }
        if (c.size() == 1) {
            return org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[]{m}, c.scalar("bias C"),
                    org.nd4j.linalg.api.buffer.DataType.FLOAT);
        }
        throw at.problem("bias C of shape " + c.describe() + " must be a scalar or hold " + m + " values (one per output)");
    }
}
