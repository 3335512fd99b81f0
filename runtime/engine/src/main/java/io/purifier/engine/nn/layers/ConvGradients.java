package io.purifier.engine.nn.layers;

import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.ChannelKernels;
import io.purifier.engine.tensor.ConvKernels;
import io.purifier.engine.tensor.NativeOps;
import io.purifier.engine.tensor.OneDnnConv;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The backward pass of one {@link Conv2d}, choosing per convolution the way to compute each gradient. For dense FLOAT
 * arrays with oneDNN available ({@link OneDnnConv}) oneDNN's backward-data and backward-weights primitives compute
 * exactly the wanted gradients. Otherwise (DOUBLE gradient checks, oneDNN unavailable) ND4J's native
 * {@code conv2d_bp} always computes input and weight gradients together, and for two shapes it leaves oneDNN for a
 * generic path that was 20–40x slower here (measured on 128 images: 56 ms for a 1-channel input, 38 ms for a 1x1
 * stride-2 shortcut, against 1–2 ms for PyTorch). The rules, fixed so results do not depend on timing:
 * <ul>
 *   <li>input gradient only, stride 1: one forward convolution of the output gradient with flipped, transposed
 *       weights (half the work of {@code conv2d_bp});</li>
 *   <li>weights of a 1-channel input or of a strided 1x1 convolution: unfold the input (im2col) and do one matrix
 *       product over the whole batch; the input gradient of a strided 1x1 convolution is a matrix product scattered
 *       to the strided positions;</li>
 *   <li>everything else: the native {@code conv2d_bp} (oneDNN).</li>
 * </ul>
 */
final class ConvGradients {

    private final Conv2d conv;
    private final LayerContext ctx;
    private final INDArray x;
    private final INDArray gy;
    private final long[] xs;
    private final long[] ys;

    ConvGradients(Conv2d conv, LayerContext ctx, INDArray x, INDArray gy) {
        this.conv = conv;
        this.ctx = ctx;
        this.x = x;
        this.gy = gy;
        this.xs = x.shape();
        this.ys = gy.shape();
    }

    /** Hands the wanted parameter gradients to the context and returns the input gradient (or null). */
    INDArray compute(boolean wantX, boolean wantW, boolean wantB) {
        INDArray w = ctx.array("W");
        if (OneDnnConv.accepts(x, gy, w, conv.bias() ? ctx.array("b") : null)
                && OneDnnConv.backwardBuilt(x, w, conv.bias(), conv.nativeGeometry())) {
            return direct(w, wantX, wantW, wantB);
        }
        boolean composedWeights = conv.in() == 1 || conv.stridedPointwise();
        if (!wantW && !wantB && wantX && conv.unitStride()) {
            return inputByFlippedConv();
        }
        if (!composedWeights) {
            return nativeBackward(wantX, wantW, wantB);
        }
        if (wantW) {
            ctx.parameterGradient("W", weightsByIm2col());
        }
        if (wantB) {
            ctx.parameterGradient("b", biasGradient());
        }
        if (!wantX) {
            return null;
        }
        if (conv.unitStride()) {
            return inputByFlippedConv();
        }
        if (conv.stridedPointwise()) {
            return inputOfStridedPointwise();
        }
        return nativeBackward(true, false, false);
    }

    /** oneDNN's own backward primitives: each gradient computed only when wanted. */
    private INDArray direct(INDArray w, boolean wantX, boolean wantW, boolean wantB) {
        if (wantW || wantB) {
            INDArray gw = wantW ? ctx.take(w.shape()) : ctx.scratch(w.shape());
            INDArray gb = !conv.bias() ? null : wantB ? ctx.take(conv.out()) : ctx.scratch(conv.out());
            OneDnnConv.backwardWeights(x, gy, gw, gb, conv.nativeGeometry());
            handOver(gw, gb, wantW, wantB);
        }
        if (!wantX) {
            return null;
        }
        INDArray gx = ctx.take(xs);
        OneDnnConv.backwardData(gy, w, gx, conv.nativeGeometry());
        return gx;
    }

    private INDArray nativeBackward(boolean wantX, boolean wantW, boolean wantB) {
        INDArray w = ctx.array("W");
        INDArray gx = wantX ? ctx.take(xs) : ctx.scratch(xs);
        INDArray gw = wantW ? ctx.take(w.shape()) : ctx.scratch(w.shape());
        INDArray gb = !conv.bias() ? null : wantB ? ctx.take(conv.out()) : ctx.scratch(conv.out());
        NativeOps.conv2dBackward(x, w, conv.bias() ? ctx.array("b") : null, gy, gx, gw, gb, conv.nativeGeometry());
        handOver(gw, gb, wantW, wantB);
        if (!wantX) {
            ctx.release(gx);
            return null;
        }
        return gx;
    }

    /** Gives the wanted weight and bias gradients to the context and returns the unwanted ones to the pool. */
    private void handOver(INDArray gw, INDArray gb, boolean wantW, boolean wantB) {
        if (wantW) {
            ctx.parameterGradient("W", gw);
        } else {
            ctx.release(gw);
        }
        if (gb != null) {
            if (wantB) {
                ctx.parameterGradient("b", gb);
            } else {
                ctx.release(gb);
            }
        }
    }

    /** {@code dx = conv(gy, flip(W)^T)} with padding {@code k - 1 - p}, valid for stride 1 and dilation 1. */
    private INDArray inputByFlippedConv() {
        int kh = conv.kernel()[0];
        int kw = conv.kernel()[1];
        INDArray flipped = ctx.scratch(conv.in(), conv.out(), kh, kw);
        ConvKernels.flipTranspose(Buf.of(ctx.array("W")), Buf.of(flipped), conv.out(), conv.in(), kh, kw);
        INDArray gx = ctx.take(xs);
        NativeOps.conv2d(gy, flipped, null, gx, new NativeOps.Conv(kh, kw, 1, 1, kh - 1 - conv.padding()[0],
                kw - 1 - conv.padding()[1], 1, 1));
        ctx.release(flipped);
        return gx;
    }

    /** {@code dW [O, C*kh*kw] = gy [O, N*L] · cols [C*kh*kw, N*L]^T}. */
    private INDArray weightsByIm2col() {
        int n = (int) xs[0];
        int c = (int) xs[1];
        int kh = conv.kernel()[0];
        int kw = conv.kernel()[1];
        int oh = (int) ys[2];
        int ow = (int) ys[3];
        long cols = (long) n * oh * ow;
        INDArray unfolded = ctx.scratch((long) c * kh * kw, cols);
        ConvKernels.im2col(Buf.of(x), Buf.of(unfolded), n, c, (int) xs[2], (int) xs[3], kh, kw, conv.stride()[0],
                conv.stride()[1], conv.padding()[0], conv.padding()[1], conv.dilation()[0], conv.dilation()[1], oh, ow);
        INDArray gyT = channelsFirst();
        INDArray gw = ctx.take(conv.out(), c, kh, kw);
        NativeOps.gemm(gyT, unfolded, gw.reshape('c', conv.out(), (long) c * kh * kw), false, true, 1.0, 0.0);
        ctx.release(unfolded);
        ctx.release(gyT);
        return gw;
    }

    /** The input gradient of a strided 1x1 convolution: {@code W^T · gy}, scattered to the strided positions. */
    private INDArray inputOfStridedPointwise() {
        int n = (int) xs[0];
        int oh = (int) ys[2];
        int ow = (int) ys[3];
        INDArray gyT = channelsFirst();
        INDArray d = ctx.scratch(conv.in(), (long) n * oh * ow);
        NativeOps.gemm(ctx.array("W").reshape('c', conv.out(), conv.in()), gyT, d, true, false, 1.0, 0.0);
        INDArray gx = ctx.take(xs);
        ConvKernels.scatterStrided(Buf.of(d), Buf.of(gx), n, conv.in(), (int) xs[2], (int) xs[3], oh, ow,
                conv.stride()[0], conv.stride()[1]);
        ctx.release(d);
        ctx.release(gyT);
        return gx;
    }

    /** {@code gy} as {@code [O, N*oh*ow]} (a scratch array). */
    private INDArray channelsFirst() {
        int n = (int) ys[0];
        int s = (int) (ys[2] * ys[3]);
        INDArray out = ctx.scratch(ys[1], (long) n * s);
        ConvKernels.channelsFirst(Buf.of(gy), Buf.of(out), n, (int) ys[1], s);
        return out;
    }

    private INDArray biasGradient() {
        double[] sums = ChannelKernels.sums(Buf.of(gy), (int) ys[0], (int) ys[1], (int) (ys[2] * ys[3]));
        INDArray gb = ctx.take(conv.out());
        Buf b = Buf.of(gb);
        for (int i = 0; i < sums.length; i++) {
            b.set(i, sums[i]);
        }
        return gb;
    }
}
