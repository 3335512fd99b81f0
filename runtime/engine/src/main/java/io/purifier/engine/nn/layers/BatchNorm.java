package io.purifier.engine.nn.layers;

import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.ParamInit;
import io.purifier.engine.nn.ArraySpec;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.ChannelKernels;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * Batch normalization over the channels of {@code [N, C, ...]} (PyTorch's {@code BatchNorm2d}/{@code BatchNorm1d}):
 * parameters {@code gamma}, {@code beta}; buffers {@code mean}, {@code var} (running statistics, the variance
 * unbiased) and {@code train_gate} (1 follows the pass's {@link BnMode}, 0 pins the layer to its running statistics).
 *
 * <p>In a training-mode pass the layer normalizes with the batch's mean and biased variance, updates the running
 * statistics with momentum (when the pass asks for it) and back-propagates through the batch statistics, as PyTorch
 * does. Otherwise it is the fixed affine map of inference: gamma and beta stay differentiable, the input gradient is
 * {@code g * gamma / sqrt(var + eps)}.</p>
 *
 * @param channels channels
 * @param eps      added to the variance
 * @param momentum weight of the batch statistics in the running update
 */
public record BatchNorm(int channels, double eps, double momentum) implements Layer {

    /** Type id. */
    public static final String TYPE = "batchnorm";
    /** PyTorch's epsilon. */
    public static final double DEFAULT_EPS = 1e-5;
    /** PyTorch's momentum. */
    public static final double DEFAULT_MOMENTUM = 0.1;

    /** PyTorch's defaults. */
    public static BatchNorm of(int channels) {
        return new BatchNorm(channels, DEFAULT_EPS, DEFAULT_MOMENTUM);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> attributes() {
        return Map.of("channels", channels, "eps", eps, "momentum", momentum);
    }

    static BatchNorm from(Map<String, Object> a) {
        Attrs at = new Attrs(TYPE, a);
        return new BatchNorm(at.integer("channels"), at.real("eps", DEFAULT_EPS), at.real("momentum", DEFAULT_MOMENTUM));
    }

    @Override
    public List<ArraySpec> arrays() {
        return List.of(ArraySpec.parameter("gamma", ParamInit.constant(1), channels),
                ArraySpec.parameter("beta", ParamInit.constant(0), channels),
                ArraySpec.buffer("mean", ParamInit.constant(0), channels),
                ArraySpec.buffer("var", ParamInit.constant(1), channels),
                ArraySpec.buffer("train_gate", ParamInit.constant(1), 1));
    }

    @Override
    public long[] outputShape(List<long[]> inputs) {
        long[] s = Shapes.only(TYPE, inputs);
        Shapes.channels(TYPE, s, channels);
        return s;
    }

    /** The statistics one forward pass normalized with. */
    private record Stats(double[] mean, double[] invStd, boolean batch) {
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        INDArray x = inputs.get(0);
        int[] ncs = Shapes.ncs(x.shape());
        boolean batch = ctx.mode() == BnMode.TRAIN && ctx.array("train_gate").getDouble(0) != 0.0;
        double[] mean;
        double[] var;
        Buf xb = Buf.of(x);
        if (batch) {
            mean = new double[channels];
            var = new double[channels];
            ChannelKernels.moments(xb, ncs[0], ncs[1], ncs[2], mean, var);
            if (ctx.updatesRunningStatistics()) {
                updateRunning(ctx, mean, var, (double) ncs[0] * ncs[2]);
            }
        } else {
            mean = ctx.array("mean").toDoubleVector();
            var = ctx.array("var").toDoubleVector();
        }
        double[] gamma = ctx.array("gamma").toDoubleVector();
        double[] beta = ctx.array("beta").toDoubleVector();
        double[] invStd = new double[channels];
        double[] scale = new double[channels];
        double[] shift = new double[channels];
        for (int c = 0; c < channels; c++) {
            invStd[c] = 1.0 / Math.sqrt(var[c] + eps);
            scale[c] = gamma[c] * invStd[c];
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        INDArray y = ctx.take(x.shape());
        ChannelKernels.affine(xb, Buf.of(y), ncs[0], ncs[1], ncs[2], scale, shift);
        ctx.save(new Stats(mean, invStd, batch));
        return y;
    }

    private void updateRunning(LayerContext ctx, double[] mean, double[] var, double count) {
        double unbias = count > 1 ? count / (count - 1) : 1.0;
        Buf rm = Buf.of(ctx.array("mean"));
        Buf rv = Buf.of(ctx.array("var"));
        for (int c = 0; c < channels; c++) {
            rm.set(c, (1 - momentum) * rm.get(c) + momentum * mean[c]);
            rv.set(c, (1 - momentum) * rv.get(c) + momentum * var[c] * unbias);
        }
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        Stats st = (Stats) ctx.saved();
        INDArray x = inputs.get(0);
        int[] ncs = Shapes.ncs(x.shape());
        Buf g = Buf.of(gradOut);
        Buf xb = Buf.of(x);
        boolean wantGamma = ctx.wantsGradient("gamma");
        boolean wantBeta = ctx.wantsGradient("beta");
        double[] sumG = new double[channels];
        double[] sumGXhat = new double[channels];
        if (wantGamma || wantBeta || st.batch()) {
            // an input gradient through fixed statistics (evaluation mode, e.g. PGD) needs neither sum
            ChannelKernels.normalizedDots(g, xb, ncs[0], ncs[1], ncs[2], st.mean(), st.invStd(), sumG, sumGXhat);
        }
        if (wantGamma) {
            ctx.parameterGradient("gamma", vector(ctx, sumGXhat));
        }
        if (wantBeta) {
            ctx.parameterGradient("beta", vector(ctx, sumG));
        }
        if (!ctx.needsInputGradient(0)) {
            return new INDArray[]{null};
        }
        double[] gamma = ctx.array("gamma").toDoubleVector();
        INDArray gx = ctx.take(x.shape());
        if (st.batch()) {
            ChannelKernels.batchNormTrainInputGradient(g, xb, Buf.of(gx), ncs[0], ncs[1], ncs[2], st.mean(),
                    st.invStd(), gamma, sumG, sumGXhat);
        } else {
            double[] scale = new double[channels];
            for (int c = 0; c < channels; c++) {
                scale[c] = gamma[c] * st.invStd()[c];
            }
            ChannelKernels.affine(g, Buf.of(gx), ncs[0], ncs[1], ncs[2], scale, null);
        }
        return new INDArray[]{gx};
    }

    private static INDArray vector(LayerContext ctx, double[] values) {
        INDArray a = ctx.take(values.length);
        Buf b = Buf.of(a);
        for (int i = 0; i < values.length; i++) {
            b.set(i, values[i]);
        }
        return a;
    }
}
