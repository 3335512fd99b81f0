package io.purifier.format.onnx.importer;

import io.purifier.engine.nn.layers.GlobalAvgPool;
import io.purifier.engine.nn.layers.Pool2d;
import io.purifier.format.onnx.proto.OnnxNode;

import java.util.Arrays;
import java.util.Map;

/**
 * 2-D pooling: {@code MaxPool} and {@code AveragePool} (kernel, strides, symmetric or automatic padding, ceil mode,
 * {@code count_include_pad}; no dilation) and {@code GlobalAveragePool}, whose {@code [N, C, 1, 1]} output is the
 * engine's {@code [N, C]} pooling seen through a view, so that the usual flatten that follows needs no node.
 */
final class PoolConverters {

    private PoolConverters() {
    }

    static void register(Map<String, NodeConverter> into) {
        into.put("MaxPool", (n, ctx) -> pool(n, ctx, true));
        into.put("AveragePool", (n, ctx) -> pool(n, ctx, false));
        into.put("GlobalAveragePool", PoolConverters::globalAverage);
    }

    private static void pool(OnnxNode node, ImportContext ctx, boolean max) {
        NodeAttributes at = new NodeAttributes(node);
        Value.Dyn x = ctx.dynamic(node, 0);
        if (x.rank() != 4) {
            throw at.problem("only 2-D pooling of [N, C, H, W] inputs is supported, got " + x.describe());
        }
        if (max) {
            ctx.requireUnused(node, 1, "indices");
        }
        int[] kernel = at.ints("kernel_shape", 2, null);
        if (kernel == null) {
            throw at.problem("attribute 'kernel_shape' is missing");
        }
        int[] stride = at.ints("strides", 2, new int[]{1, 1});
        int[] dilation = at.ints("dilations", 2, new int[]{1, 1});
        if (dilation[0] != 1 || dilation[1] != 1) {
            throw at.problem("dilated pooling " + Arrays.toString(dilation) + " is not supported");
        }
        int[] pads = LayerConverters.pads(at, x.shape(), kernel, stride, dilation);
        if (pads[0] != pads[2] || pads[1] != pads[3]) {
            throw at.problem("asymmetric pooling pads " + Arrays.toString(pads) + " are not supported");
        }
        boolean ceil = at.integer("ceil_mode", 0) != 0;
        boolean countPadding = !max && at.integer("count_include_pad", 0) != 0;
        Pool2d layer = new Pool2d(max, kernel, stride, new int[]{pads[0], pads[1]}, ceil, countPadding);
        ctx.define(node, 0, ctx.add(node, ctx.name(node, null), layer, true, x));
    }

    private static void globalAverage(OnnxNode node, ImportContext ctx) {
        Value.Dyn x = ctx.dynamic(node, 0);
        if (x.rank() != 4) {
            throw new NodeAttributes(node).problem("only [N, C, H, W] inputs are supported, got " + x.describe());
        }
        Value.Dyn flat = ctx.add(node, ctx.name(node, null), new GlobalAvgPool(), true, x);
        ctx.defineFlatView(node, flat);
    }
}
