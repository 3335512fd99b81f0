package io.purifier.engine.nn.layers;

import io.purifier.engine.model.ParamInit;
import io.purifier.engine.nn.ArraySpec;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.ElementKernels;
import io.purifier.engine.tensor.NativeOps;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fully connected layer {@code y = x W + b}: weights {@code W} {@code [in, out]}, bias {@code b} {@code [out]},
 * PyTorch's default initialisation (U(±1/sqrt(in))). Matrix products run in BLAS.
 *
 * @param in   input features
 * @param out  output features
 * @param bias whether there is a bias
 */
public record Dense(int in, int out, boolean bias) implements Layer {

    /** Type id. */
    public static final String TYPE = "dense";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> attributes() {
        return Map.of("in", in, "out", out, "bias", bias);
    }

    static Dense from(Map<String, Object> a) {
        Attrs at = new Attrs(TYPE, a);
        return new Dense(at.integer("in"), at.integer("out"), at.bool("bias", true));
    }

    /** PyTorch's default initialiser of weights and bias. */
    public ParamInit defaultInit() {
        return ParamInit.pytorchDefault(in);
    }

    @Override
    public List<ArraySpec> arrays() {
        List<ArraySpec> out = new ArrayList<>();
        out.add(ArraySpec.parameter("W", defaultInit(), in, this.out));
        if (bias) {
            out.add(ArraySpec.parameter("b", defaultInit(), this.out));
        }
        return out;
    }

    @Override
    public long[] outputShape(List<long[]> inputs) {
        long[] s = Shapes.only(TYPE, inputs);
        if (s.length != 2 || s[1] != in) {
            throw new io.purifier.api.InvalidInputException("dense layer expects [N, " + in + "] input, got "
                    + java.util.Arrays.toString(s));
        }
        return new long[]{s[0], out};
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        INDArray x = inputs.get(0);
        INDArray y = ctx.take(x.size(0), out);
        NativeOps.gemm(x, ctx.array("W"), y, false, false, 1.0, 0.0);
        if (bias) {
            ElementKernels.addRowVector(Buf.of(y), (int) x.size(0), out, ctx.array("b").toDoubleVector());
        }
        return y;
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        INDArray x = inputs.get(0);
        if (ctx.wantsGradient("W")) {
            INDArray gw = ctx.take(in, out);
            NativeOps.gemm(x, gradOut, gw, true, false, 1.0, 0.0);
            ctx.parameterGradient("W", gw);
        }
        if (bias && ctx.wantsGradient("b")) {
            double[] sums = ElementKernels.columnSums(Buf.of(gradOut), (int) gradOut.size(0), out);
            INDArray gb = ctx.take(out);
            Buf b = Buf.of(gb);
            for (int j = 0; j < out; j++) {
                b.set(j, sums[j]);
            }
            ctx.parameterGradient("b", gb);
        }
        if (!ctx.needsInputGradient(0)) {
            return new INDArray[]{null};
        }
        INDArray gx = ctx.take(x.shape());
        NativeOps.gemm(gradOut, ctx.array("W"), gx, false, true, 1.0, 0.0);
        return new INDArray[]{gx};
    }
}
