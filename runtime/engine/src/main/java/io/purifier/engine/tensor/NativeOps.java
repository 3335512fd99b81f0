package io.purifier.engine.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The compute-bound operations the engine leaves to native code (oneDNN convolutions, BLAS matrix products),
 * always writing into caller-provided arrays so that no memory is allocated per call. Convolutions and sums of dense
 * FLOAT arrays go to oneDNN called directly with cached primitives ({@link OneDnnConv}, {@link OneDnnEltwise});
 * everything else, and those when oneDNN is unavailable, to libnd4j's operations. ReLU stays libnd4j's: oneDNN's
 * turns NaN into 0 (and -0 into +0), where libnd4j and PyTorch keep the NaN.
 */
public final class NativeOps {

    /** libnd4j's weight layout code for {@code [out, in, kH, kW]} (PyTorch order). */
    private static final int WEIGHTS_OIHW = 1;
    /** libnd4j's data layout code for NCHW. */
    private static final int NCHW = 0;

    private NativeOps() {
    }

    /**
     * The geometry of a 2-D convolution with symmetric padding.
     *
     * @param kh kernel height
     * @param kw kernel width
     * @param sh vertical stride
     * @param sw horizontal stride
     * @param ph padding rows on each side
     * @param pw padding columns on each side
     * @param dh vertical dilation
     * @param dw horizontal dilation
     */
    public record Conv(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {

        int[] iArgs() {
            return new int[]{kh, kw, sh, sw, ph, pw, dh, dw, 0, NCHW, WEIGHTS_OIHW};
        }

        /** Output size along one axis for input size {@code in} (floor, as PyTorch). */
        public static int outSize(int in, int kernel, int stride, int pad, int dilation) {
            return (in + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
        }
    }

    /**
     * {@code y = conv(x, w) + b}.
     *
     * @param x {@code [N, C, H, W]}
     * @param w {@code [O, C, kH, kW]}
     * @param b {@code [O]} or null
     * @param y out: {@code [N, O, H', W']}
     */
    public static void conv2d(INDArray x, INDArray w, INDArray b, INDArray y, Conv conv) {
        if (OneDnnConv.accepts(x, w, b, y) && OneDnnConv.forwardBuilt(x, w, b != null, conv)) {
            OneDnnConv.forward(x, w, b, y, conv);
            return;
        }
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d");
        if (b == null) {
            op.addInputs(x, w);
        } else {
            op.addInputs(x, w, b);
        }
        Nd4j.exec(op.addOutputs(y).addIntegerArguments(conv.iArgs()).build());
    }

    /**
     * Gradients of {@link #conv2d}: all three are computed by the native op; pass scratch arrays for those not
     * needed.
     *
     * @param gy out-gradient {@code [N, O, H', W']}
     * @param gx out: input gradient
     * @param gw out: weight gradient
     * @param gb out: bias gradient (null when there is no bias)
     */
    public static void conv2dBackward(INDArray x, INDArray w, INDArray b, INDArray gy, INDArray gx, INDArray gw,
                                      INDArray gb, Conv conv) {
        if (OneDnnConv.accepts(x, w, b, gy, gx, gw, gb) && OneDnnConv.backwardBuilt(x, w, b != null, conv)) {
            OneDnnConv.backwardData(gy, w, gx, conv);
            OneDnnConv.backwardWeights(x, gy, gw, gb, conv);
            return;
        }
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp");
        if (b == null) {
            op.addInputs(x, w, gy).addOutputs(gx, gw);
        } else {
            op.addInputs(x, w, b, gy).addOutputs(gx, gw, gb);
        }
        Nd4j.exec(op.addIntegerArguments(conv.iArgs()).build());
    }

    /** {@code c = alpha * op(a) * op(b) + beta * c} for matrices. */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
                            double beta) {
        Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta);
    }

    /** {@code y = max(x, 0)}. */
    public static void relu(INDArray x, INDArray y) {
        Nd4j.exec(DynamicCustomOp.builder("relu").addInputs(x).addOutputs(y).addFloatingPointArguments(0.0).build());
    }

    /** {@code out = a + b} for arrays of one shape. */
    public static void add(INDArray a, INDArray b, INDArray out) {
        if (OneDnnEltwise.accepts(a, b, out)) {
            OneDnnEltwise.add(a, b, out);
            return;
        }
        Nd4j.exec(new AddOp(a, b, out));
    }

    /**
     * Max pooling over NCHW without padding, floor output size, by libnd4j's own kernel ({@link #withoutHelpers}).
     *
     * @param y out: {@code [N, C, H', W']}
     */
    public static void maxPool2d(INDArray x, INDArray y, int kh, int kw, int sh, int sw) {
        withoutHelpers(DynamicCustomOp.builder("maxpool2d").addInputs(x).addOutputs(y)
                .addIntegerArguments(kh, kw, sh, sw, 0, 0, 1, 1, 0, 0, NCHW).build());
    }

    /** Gradient of {@link #maxPool2d}: {@code gx} receives each output gradient at its window's maximum. */
    public static void maxPool2dBackward(INDArray x, INDArray gy, INDArray gx, int kh, int kw, int sh, int sw) {
        withoutHelpers(DynamicCustomOp.builder("maxpool2d_bp").addInputs(x, gy).addOutputs(gx)
                .addIntegerArguments(kh, kw, sh, sw, 0, 0, 1, 1, 0, 0, NCHW).build());
    }

    /**
     * Runs {@code op} with libnd4j's own kernel instead of its oneDNN helper, for this call only (the global setting,
     * which convolutions need, is untouched). Used for max pooling: on an AVX2-only CPU (this machine since
     * 2026-12-02 evening) oneDNN's pooling was 5-6x slower than libnd4j's (128x32x28x28, 2x2, 2 threads: forward 25 ms
     * against 4-5 ms, backward 36-40 ms against 14 ms) and its results are bit-identical (NativeOpsTest).
     */
    static void withoutHelpers(DynamicCustomOp op) {
        try (OpContext ctx = Nd4j.getExecutioner().buildContext()) {
            ctx.setIArguments(op.iArgs());
            ctx.setInputArrays(op.inputArguments());
            ctx.setOutputArrays(op.outputArguments());
            ctx.allowHelpers(false);
            Nd4j.getExecutioner().exec(op, ctx);
        } catch (Exception e) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("closing the op context of " + op.opName() + " failed", e);
        }
    }
}
