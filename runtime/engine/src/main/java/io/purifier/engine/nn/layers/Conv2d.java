package io.purifier.engine.nn.layers;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.model.ParamInit;
import io.purifier.engine.nn.ArraySpec;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.NativeOps;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 2-D convolution over NCHW with symmetric zero padding (PyTorch's {@code Conv2d}): weights {@code W}
 * {@code [out, in / groups, kH, kW]}, optional bias {@code b} {@code [out]}, both initialised as PyTorch does by
 * default (U(±1/sqrt(fan in))) unless whoever adds the layer chooses another initialiser. Forward and backward run
 * ND4J's native convolution (oneDNN) into pass-owned arrays; a grouped convolution runs one native convolution per
 * group on copies of its channels ({@link GroupedConv}), a dilated one runs undilated with a spread kernel
 * ({@link DilatedConv}, as oneDNN refuses dilated FLOAT convolutions here).
 *
 * @param in       input channels
 * @param out      output channels
 * @param kernel   {@code {kH, kW}}
 * @param stride   {@code {sH, sW}}
 * @param padding  {@code {pH, pW}} zero rows/columns on each side
 * @param dilation {@code {dH, dW}}
 * @param bias     whether there is a bias
 * @param groups   channel groups (1 = an ordinary convolution; {@code in} = depthwise); divides {@code in} and
 *                 {@code out}
 */
public record Conv2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean bias,
                     int groups) implements Layer {

    /** Type id. */
    public static final String TYPE = "conv2d";

    /** Checks that the groups divide the channels. */
    public Conv2d {
        if (groups < 1 || in % groups != 0 || out % groups != 0) {
            throw new InvalidInputException("a convolution with " + in + " input and " + out
                    + " output channels cannot have " + groups + " groups (groups must divide both)");
        }
    }

    /** An ungrouped convolution ({@code groups = 1}). */
    public Conv2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean bias) {
        this(in, out, kernel, stride, padding, dilation, bias, 1);
    }

    /** A square convolution with PyTorch's default initialisation and dilation 1. */
    public static Conv2d square(int in, int out, int kernel, int stride, int padding, boolean bias) {
        return new Conv2d(in, out, new int[]{kernel, kernel}, new int[]{stride, stride}, new int[]{padding, padding},
                new int[]{1, 1}, bias);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in", in);
        m.put("out", out);
        m.put("kernel", List.of(kernel[0], kernel[1]));
        m.put("stride", List.of(stride[0], stride[1]));
        m.put("padding", List.of(padding[0], padding[1]));
        m.put("dilation", List.of(dilation[0], dilation[1]));
        m.put("bias", bias);
        if (groups != 1) {
            m.put("groups", groups);
        }
        return m;
    }

    static Conv2d from(Map<String, Object> a) {
        Attrs at = new Attrs(TYPE, a);
        return new Conv2d(at.integer("in"), at.integer("out"), at.ints("kernel", 2), at.ints("stride", 2),
                at.ints("padding", 2), at.ints("dilation", 2), at.bool("bias", false), at.integer("groups", 1));
    }

    /** PyTorch's default initialiser of this layer's weights and bias: U(±1/sqrt(fan in)). */
    public ParamInit defaultInit() {
        return ParamInit.pytorchDefault((long) (in / groups) * kernel[0] * kernel[1]);
    }

    @Override
    public List<ArraySpec> arrays() {
        List<ArraySpec> out = new ArrayList<>();
        out.add(ArraySpec.parameter("W", defaultInit(), this.out, in / groups, kernel[0], kernel[1]));
        if (bias) {
            out.add(ArraySpec.parameter("b", defaultInit(), this.out));
        }
        return out;
    }

    private NativeOps.Conv geometry() {
        return new NativeOps.Conv(kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0],
                dilation[1]);
    }

    @Override
    public long[] outputShape(List<long[]> inputs) {
        long[] s = Shapes.rank4(TYPE, inputs);
        Shapes.channels(TYPE, s, in);
        int oh = NativeOps.Conv.outSize((int) s[2], kernel[0], stride[0], padding[0], dilation[0]);
        int ow = NativeOps.Conv.outSize((int) s[3], kernel[1], stride[1], padding[1], dilation[1]);
        if (oh < 1 || ow < 1) {
            throw new InvalidInputException("a " + kernel[0] + "x" + kernel[1] + " convolution does not fit a "
                    + s[2] + "x" + s[3] + " input");
        }
        return new long[]{s[0], out, oh, ow};
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        if (dilated()) {
            return DilatedConv.forward(this, ctx, inputs);
        }
        INDArray x = inputs.get(0);
        INDArray y = ctx.take(outputShape(List.of(x.shape())));
        if (groups > 1) {
            GroupedConv.forward(this, ctx, x, y);
        } else {
            NativeOps.conv2d(x, ctx.array("W"), bias ? ctx.array("b") : null, y, geometry());
        }
        return y;
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        if (dilated()) {
            return DilatedConv.backward(this, ctx, inputs, output, gradOut);
        }
        boolean wantX = ctx.needsInputGradient(0);
        boolean wantW = ctx.wantsGradient("W");
        boolean wantB = bias && ctx.wantsGradient("b");
        if (!wantX && !wantW && !wantB) {
            return new INDArray[]{null};
        }
        if (groups > 1) {
            return new INDArray[]{GroupedConv.backward(this, ctx, inputs.get(0), gradOut, wantX, wantW, wantB)};
        }
        ConvGradients g = new ConvGradients(this, ctx, inputs.get(0), gradOut);
        return new INDArray[]{g.compute(wantX, wantW, wantB)};
    }

    /** Whether a dilation exceeds 1 (computed by {@link DilatedConv} with a spread kernel). */
    boolean dilated() {
        return dilation[0] > 1 || dilation[1] > 1;
    }

    /** Stride 1 and dilation 1 on both axes, with padding that a flipped forward convolution can mirror. */
    boolean unitStride() {
        return stride[0] == 1 && stride[1] == 1 && dilation[0] == 1 && dilation[1] == 1
                && padding[0] <= kernel[0] - 1 && padding[1] <= kernel[1] - 1;
    }

    /** A 1x1 convolution with a stride above 1 (a ResNet shortcut). */
    boolean stridedPointwise() {
        return kernel[0] == 1 && kernel[1] == 1 && (stride[0] > 1 || stride[1] > 1) && padding[0] == 0
                && padding[1] == 0;
    }

    NativeOps.Conv nativeGeometry() {
        return geometry();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Conv2d c && c.in == in && c.out == out && java.util.Arrays.equals(c.kernel, kernel)
                && java.util.Arrays.equals(c.stride, stride) && java.util.Arrays.equals(c.padding, padding)
                && java.util.Arrays.equals(c.dilation, dilation) && c.bias == bias && c.groups == groups;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(in, out, java.util.Arrays.hashCode(kernel), bias, groups);
    }

    @Override
    public String toString() {
        return "Conv2d" + attributes();
    }
}
