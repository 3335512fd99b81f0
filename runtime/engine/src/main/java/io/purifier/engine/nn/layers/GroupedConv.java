package io.purifier.engine.nn.layers;

import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.NativeOps;
import io.purifier.engine.tensor.Parallel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A grouped {@link Conv2d} (ONNX {@code group}, PyTorch {@code groups}): ND4J's native convolution has no groups, so
 * each group's input channels, weights and output gradient are copied into dense scratch arrays, convolved natively
 * (forward, or {@code conv2d_bp} backward) and the results copied into their channels. Correct for any group count;
 * a depthwise convolution makes as many native calls as it has channels.
 */
final class GroupedConv {

    private GroupedConv() {
    }

    static void forward(Conv2d conv, LayerContext ctx, INDArray x, INDArray y) {
        int groups = conv.groups();
        int cin = conv.in() / groups;
        int cout = conv.out() / groups;
        long[] xs = x.shape();
        long[] ys = y.shape();
        INDArray w = ctx.array("W");
        INDArray xg = ctx.scratch(xs[0], cin, xs[2], xs[3]);
        INDArray yg = ctx.scratch(ys[0], cout, ys[2], ys[3]);
        INDArray wg = ctx.scratch(cout, cin, conv.kernel()[0], conv.kernel()[1]);
        INDArray bg = conv.bias() ? ctx.scratch(cout) : null;
        for (int g = 0; g < groups; g++) {
            channels(x, xg, g * cin, true);
            rows(w, wg, g * cout, true);
            if (bg != null) {
                rows(ctx.array("b"), bg, g * cout, true);
            }
            NativeOps.conv2d(xg, wg, bg, yg, conv.nativeGeometry());
            channels(y, yg, g * cout, false);
        }
        release(ctx, xg, yg, wg, bg);
    }

    /** Hands the wanted parameter gradients to the context and returns the input gradient (or null). */
    static INDArray backward(Conv2d conv, LayerContext ctx, INDArray x, INDArray gy, boolean wantX, boolean wantW,
                             boolean wantB) {
        int groups = conv.groups();
        int cin = conv.in() / groups;
        int cout = conv.out() / groups;
        long[] xs = x.shape();
        long[] ys = gy.shape();
        INDArray w = ctx.array("W");
        INDArray gx = wantX ? ctx.take(xs) : null;
        INDArray gw = wantW ? ctx.take(w.shape()) : null;
        INDArray gb = wantB ? ctx.take(conv.out()) : null;
        INDArray xg = ctx.scratch(xs[0], cin, xs[2], xs[3]);
        INDArray gyg = ctx.scratch(ys[0], cout, ys[2], ys[3]);
        INDArray gxg = ctx.scratch(xs[0], cin, xs[2], xs[3]);
        INDArray wg = ctx.scratch(cout, cin, conv.kernel()[0], conv.kernel()[1]);
        INDArray gwg = ctx.scratch(wg.shape());
        INDArray bg = conv.bias() ? ctx.scratch(cout) : null;
        INDArray gbg = conv.bias() ? ctx.scratch(cout) : null;
        for (int g = 0; g < groups; g++) {
            channels(x, xg, g * cin, true);
            channels(gy, gyg, g * cout, true);
            rows(w, wg, g * cout, true);
            if (bg != null) {
                rows(ctx.array("b"), bg, g * cout, true);
            }
            NativeOps.conv2dBackward(xg, wg, bg, gyg, gxg, gwg, gbg, conv.nativeGeometry());
            if (gx != null) {
                channels(gx, gxg, g * cin, false);
            }
            if (gw != null) {
                rows(gw, gwg, g * cout, false);
            }
            if (gb != null) {
                rows(gb, gbg, g * cout, false);
            }
        }
        release(ctx, xg, gyg, gxg, wg, gwg, bg, gbg);
        if (gw != null) {
            ctx.parameterGradient("W", gw);
        }
        if (gb != null) {
            ctx.parameterGradient("b", gb);
        }
        return gx;
    }

    /**
     * Copies channels {@code [from, from + part.C)} of {@code full} {@code [N, C, H, W]} into {@code part}
     * ({@code gather}) or back.
     */
    private static void channels(INDArray full, INDArray part, int from, boolean gather) {
        long[] fs = full.shape();
        int n = (int) fs[0];
        int plane = (int) (fs[2] * fs[3]);
        int c = (int) fs[1];
        int pc = (int) part.size(1);
        Buf f = Buf.of(full);
        Buf p = Buf.of(part);
        int block = pc * plane;
        Parallel.forRange(n, block, (a, b) -> {
            for (int i = a; i < b; i++) {
                int fo = (i * c + from) * plane;
                int po = i * block;
                for (int j = 0; j < block; j++) {
                    if (gather) {
                        p.set(po + j, f.get(fo + j));
                    } else {
                        f.set(fo + j, p.get(po + j));
                    }
                }
            }
        });
    }

    /** Copies rows {@code [from, from + part.rows)} of {@code full} (first axis) into {@code part} or back. */
    private static void rows(INDArray full, INDArray part, int from, boolean gather) {
        Buf f = Buf.of(full);
        Buf p = Buf.of(part);
        int len = p.length();
        int off = (int) (from * (full.length() / full.size(0)));
        for (int j = 0; j < len; j++) {
            if (gather) {
                p.set(j, f.get(off + j));
            } else {
                f.set(off + j, p.get(j));
            }
        }
    }

    private static void release(LayerContext ctx, INDArray... scratch) {
        for (INDArray a : scratch) {
            if (a != null) {
                ctx.release(a);
            }
        }
    }
}
