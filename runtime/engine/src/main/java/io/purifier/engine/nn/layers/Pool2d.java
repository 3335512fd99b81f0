package io.purifier.engine.nn.layers;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.NativeOps;
import io.purifier.engine.tensor.PoolKernels;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Max or average pooling over NCHW (PyTorch's {@code MaxPool2d}/{@code AvgPool2d}): window, stride, symmetric
 * padding, floor or ceil output size; average pooling counts padded positions or not.
 *
 * @param max          max pooling (else average)
 * @param kernel       {@code {kH, kW}}
 * @param stride       {@code {sH, sW}}
 * @param padding      {@code {pH, pW}} on each side
 * @param ceilMode     round the output size up (PyTorch's {@code ceil_mode})
 * @param countPadding average pooling divides by the whole window (PyTorch's {@code count_include_pad})
 */
public record Pool2d(boolean max, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countPadding)
        implements Layer {

    /** Type id of max pooling. */
    public static final String MAX = "maxpool2d";
    /** Type id of average pooling. */
    public static final String AVG = "avgpool2d";

    /** Square max pooling with stride equal to the window, no padding (floor). */
    public static Pool2d maxSquare(int size) {
        return new Pool2d(true, new int[]{size, size}, new int[]{size, size}, new int[]{0, 0}, false, false);
    }

    @Override
    public String type() {
        return max ? MAX : AVG;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel", List.of(kernel[0], kernel[1]));
        m.put("stride", List.of(stride[0], stride[1]));
        m.put("padding", List.of(padding[0], padding[1]));
        m.put("ceilMode", ceilMode);
        if (!max) {
            m.put("countPadding", countPadding);
        }
        return m;
    }

    static Pool2d from(boolean max, Map<String, Object> a) {
        Attrs at = new Attrs(max ? MAX : AVG, a);
        return new Pool2d(max, at.ints("kernel", 2), at.ints("stride", 2), at.ints("padding", 2),
                at.bool("ceilMode", false), at.bool("countPadding", true));
    }

    /** PyTorch's output size: the last window must start inside the input or its leading padding. */
    static int outSize(int in, int k, int s, int p, boolean ceil) {
        int span = in + 2 * p - k;
        int out = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (out - 1) * s >= in + p) {
            out--;
        }
        return out;
    }

    @Override
    public long[] outputShape(List<long[]> inputs) {
        long[] s = Shapes.rank4(type(), inputs);
        int oh = outSize((int) s[2], kernel[0], stride[0], padding[0], ceilMode);
        int ow = outSize((int) s[3], kernel[1], stride[1], padding[1], ceilMode);
        if (oh < 1 || ow < 1) {
            throw new InvalidInputException("a " + kernel[0] + "x" + kernel[1] + " pooling window does not fit a "
                    + s[2] + "x" + s[3] + " input");
        }
        return new long[]{s[0], s[1], oh, ow};
    }

    private PoolKernels.Geometry geometry(long[] in, long[] out) {
        return new PoolKernels.Geometry((int) (in[0] * in[1]), (int) in[2], (int) in[3], (int) out[2], (int) out[3],
                kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
    }

    /** Max pooling without padding, floor size: ND4J's native kernel (oneDNN) is the fast path. */
    private boolean nativeMax() {
        return max && padding[0] == 0 && padding[1] == 0 && !ceilMode;
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        INDArray x = inputs.get(0);
        long[] shape = outputShape(List.of(x.shape()));
        INDArray y = ctx.take(shape);
        PoolKernels.Geometry g = geometry(x.shape(), shape);
        if (nativeMax()) {
            NativeOps.maxPool2d(x, y, kernel[0], kernel[1], stride[0], stride[1]);
        } else if (max) {
            int[] argmax = new int[(int) y.length()];
            PoolKernels.maxForward(Buf.of(x), Buf.of(y), argmax, g);
            ctx.save(argmax);
        } else {
            PoolKernels.avgForward(Buf.of(x), Buf.of(y), g, countPadding);
        }
        return y;
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        if (!ctx.needsInputGradient(0)) {
            return new INDArray[]{null};
        }
        INDArray x = inputs.get(0);
        INDArray gx = ctx.take(x.shape());
        PoolKernels.Geometry g = geometry(x.shape(), output.shape());
        if (nativeMax()) {
            NativeOps.maxPool2dBackward(x, gradOut, gx, kernel[0], kernel[1], stride[0], stride[1]);
        } else if (max) {
            PoolKernels.maxBackward(Buf.of(gradOut), Buf.of(gx), (int[]) ctx.saved(), g);
        } else {
            PoolKernels.avgBackward(Buf.of(gradOut), Buf.of(gx), g, countPadding);
        }
        return new INDArray[]{gx};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pool2d p && p.max == max && java.util.Arrays.equals(p.kernel, kernel)
                && java.util.Arrays.equals(p.stride, stride) && java.util.Arrays.equals(p.padding, padding)
                && p.ceilMode == ceilMode && p.countPadding == countPadding;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(max, java.util.Arrays.hashCode(kernel), java.util.Arrays.hashCode(stride));
    }

    @Override
    public String toString() {
        return type() + attributes();
    }
}
