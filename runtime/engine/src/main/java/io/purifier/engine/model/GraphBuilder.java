package io.purifier.engine.model;

import io.purifier.api.data.Normalization;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

/**
 * Builds named layers into an {@link EngineModel}'s SameDiff graph and registers their parameters,
 * initialisers, batch-norm state and taps. Used by the zoo to create models and by defense blocks to extend
 * them.
 *
 * <p>Layout: convolution weights {@code layer/W} are {@code [out, in, kH, kW]} (PyTorch order), conv/dense
 * biases {@code layer/b} are {@code [out]}, dense weights {@code layer/W} are {@code [in, out]}. Each layer's
 * output variable is {@code layer/out} and is registered as the layer's tap.</p>
 */
public final class GraphBuilder {

    /** PyTorch's BatchNorm2d epsilon. */
    public static final double BN_EPS = 1e-5;

    private final EngineModel model;
    private final SameDiff sd;
    private final long seed;
    private final DataType dataType;
    private String insertAfter;

    private GraphBuilder(EngineModel model, long seed, String insertAfter) {
        this.model = model;
        this.sd = model.graph();
        this.seed = seed;
        this.dataType = model.dataType();
        this.insertAfter = insertAfter;
    }

    /**
     * Starts a new model: input placeholder, normalization and the mode placeholder.
     *
     * @param architectureId the zoo id
     * @param recipe         the architecture's resolved parameters
     * @param channels       input channels
     * @param height         input height
     * @param width          input width
     * @param classNames     output classes
     * @param normalization  per-channel normalization applied inside the graph
     * @param seed           the initialisation seed
     * @param dt             the floating-point type of parameters and input (FLOAT; DOUBLE for gradient checks)
     */
    public static GraphBuilder create(String architectureId, Map<String, Object> recipe, int channels, int height,
                                      int width, List<String> classNames, Normalization normalization, long seed,
                                      DataType dt) {
        if (normalization.channels() != channels) {
            throw new IllegalArgumentException("normalization has " + normalization.channels()
                    + " channels but the input has " + channels);
        }
        if (!dt.isFPType()) {
            throw new IllegalArgumentException("model data type must be floating point, got " + dt);
        }
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder(GraphNames.INPUT, dt, -1, channels, height, width);
        sd.placeHolder(GraphNames.BN_MODE, dt);
        INDArray mean = Nd4j.create(normalization.mean(), new long[]{1, channels, 1, 1}, dt);
        INDArray invStd = Nd4j.create(normalization.std(), new long[]{1, channels, 1, 1}, DataType.DOUBLE).rdiv(1.0).castTo(dt);
        SDVariable m = sd.constant("norm/mean", mean);
        SDVariable s = sd.constant("norm/inv_std", invStd);
        input.sub(m).mul(GraphNames.NORMALIZED, s);
        EngineModel model = new EngineModel(sd, architectureId, recipe, channels, height, width, classNames,
                normalization, seed);
        return new GraphBuilder(model, seed, null);
    }

    /**
     * Extends an existing model. New layers are registered after {@code afterLayer} in the layer order (or at
     * the end when null); new parameters draw their values from {@code seed}.
     */
    public static GraphBuilder extend(EngineModel model, long seed, String afterLayer) {
        if (afterLayer != null) {
            model.layerOutput(afterLayer);
        }
        return new GraphBuilder(model, seed, afterLayer);
    }

    /** The graph. */
    public SameDiff graph() {
        return sd;
    }

    /** The normalized input {@code [N, C, H, W]}. */
    public SDVariable input() {
        return sd.getVariable(GraphNames.NORMALIZED);
    }

    /** Finishes a new model: {@code source} becomes {@value GraphNames#LOGITS}. */
    public EngineModel finish(SDVariable source) {
        sd.identity(GraphNames.LOGITS, source);
        return model;
    }

    /** Registers {@code out} as the output of a new named layer. */
    public SDVariable tap(String layer, SDVariable out) {
        model.addLayer(layer, out.name(), insertAfter);
        if (insertAfter != null) {
            insertAfter = layer;
        }
        return out;
    }

    /** Creates a parameter initialised by {@code init} from the builder's seed. */
    public SDVariable parameter(String name, ParamInit init, long... shape) {
        INDArray values = init.sample(shape, dataType, seed, name);
        SDVariable v = sd.var(name, values);
        model.addParameter(name, init);
        return v;
    }

    /**
     * A 2-D convolution with explicit symmetric zero padding (PyTorch semantics) and PyTorch default
     * initialisation.
     */
    public SDVariable conv(String layer, SDVariable x, int in, int out, int kernel, int stride, int padding, boolean bias) {
        ParamInit init = ParamInit.pytorchDefault((long) in * kernel * kernel);
        SDVariable w = parameter(layer + "/W", init, out, in, kernel, kernel);
        SDVariable b = bias ? parameter(layer + "/b", init, out) : null;
        return convWith(layer, x, w, b, kernel, stride, padding);
    }

    /**
     * A 2-D convolution with existing weights {@code [out, in, k, k]} and optional bias, as a named layer
     * (explicit symmetric padding).
     */
    public SDVariable convWith(String layer, SDVariable x, SDVariable w, SDVariable b, int kernel, int stride, int padding) {
        // conv2d_bp ignores WeightsFormat.OIYX in M2.1, so the PyTorch-ordered weights are permuted to YXIO here.
        SDVariable wYxio = sd.permute(layer + "/W_yxio", w, 2, 3, 1, 0);
        Conv2DConfig cfg = Conv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW)
                .weightsFormat(WeightsFormat.YXIO).build();
        SDVariable y = b == null ? sd.cnn().conv2d(layer + "/out", x, wYxio, cfg)
                : sd.cnn().conv2d(layer + "/out", x, wYxio, b, cfg);
        return tap(layer, y);
    }

    /**
     * A fully connected layer {@code x·W + b} with PyTorch default initialisation, built as {@code matmul} +
     * broadcast {@code add}: ND4J's fused {@code xw_plus_b} returns arrays whose order flag does not match their
     * layout after a gradient call (wrong values under oneDNN, wrong copies through {@code castTo} on every build).
     */
    public SDVariable dense(String layer, SDVariable x, int in, int out) {
        ParamInit init = ParamInit.pytorchDefault(in);
        SDVariable w = parameter(layer + "/W", init, in, out);
        SDVariable b = parameter(layer + "/b", init, out);
        return tap(layer, x.mmul(w).add(layer + "/out", b));
    }

    /**
     * Batch normalization over {@code [N, C, H, W]} built from basic ops (see {@link BnMode}):
     * {@code m = bn_mode * train_gate}, {@code mu = m*batchMean + (1-m)*runningMean},
     * {@code var = m*batchVar + (1-m)*runningVar}, {@code y = x*inv + (beta - mu*inv)} with
     * {@code inv = gamma / sqrt(var + eps)}. With m = 0 the batch statistics get exactly zero gradient, so the
     * layer is the fixed affine map of inference.
     */
    public SDVariable batchNorm(String layer, SDVariable x, int channels) {
        BatchNormLayer bn = BatchNormLayer.named(layer, channels);
        SDVariable gamma = parameter(bn.gamma(), ParamInit.constant(1.0), channels);
        SDVariable beta = parameter(bn.beta(), ParamInit.constant(0.0), channels);
        SDVariable runMean = sd.constant(bn.runningMean(), Nd4j.zeros(dataType, channels));
        SDVariable runVar = sd.constant(bn.runningVar(), Nd4j.ones(dataType, channels));
        SDVariable gate = sd.constant(bn.trainGate(), Nd4j.scalar(dataType, 1.0));
        SDVariable m = sd.getVariable(GraphNames.BN_MODE).mul(layer + "/m", gate);
        SDVariable oneMinusM = m.rsub(1.0);

        SDVariable batchMean = x.mean(bn.batchMean(), true, 0, 2, 3);
        SDVariable centred = x.sub(batchMean);
        SDVariable batchVar = centred.mul(centred).mean(bn.batchVar(), true, 0, 2, 3);
        sd.prod(sd.shape(x), 0).castTo(dataType).div(bn.batchCount(), channels);

        SDVariable mu = batchMean.mul(m).add(runMean.reshape(1, channels, 1, 1).mul(oneMinusM));
        SDVariable var = batchVar.mul(m).add(runVar.reshape(1, channels, 1, 1).mul(oneMinusM));
        SDVariable inv = gamma.reshape(1, channels, 1, 1).mul(sd.math().rsqrt(var.add(BN_EPS)));
        SDVariable shift = beta.reshape(1, channels, 1, 1).sub(mu.mul(inv));
        SDVariable y = x.mul(inv).add(layer + "/out", shift);
        model.addBatchNorm(bn);
        return tap(layer, y);
    }

    /** ReLU as a named layer. */
    public SDVariable relu(String layer, SDVariable x) {
        return tap(layer, sd.nn().relu(layer + "/out", x, 0.0));
    }

    /** ReLU producing variable {@code name}, not a named layer. */
    public SDVariable reluVar(String name, SDVariable x) {
        return sd.nn().relu(name, x, 0.0);
    }

    /** Max pooling with a square window and equal stride, no padding (floor), as a named layer. */
    public SDVariable maxPool(String layer, SDVariable x, int size) {
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(size).kW(size).sH(size).sW(size).pH(0).pW(0)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).isNHWC(false).build();
        return tap(layer, sd.cnn().maxPooling2d(layer + "/out", x, cfg));
    }

    /** Global average pooling {@code [N, C, H, W] -> [N, C]} as a named layer. */
    public SDVariable globalAvgPool(String layer, SDVariable x) {
        return tap(layer, x.mean(layer + "/out", false, 2, 3));
    }

    /** Flattens {@code [N, ...]} to {@code [N, features]} (not a named layer). */
    public SDVariable flatten(String name, SDVariable x, long features) {
        return sd.reshape(name, x, -1, features);
    }

    /** Element-wise sum (residual connection), not a named layer. */
    public SDVariable add(String name, SDVariable a, SDVariable b) {
        return a.add(name, b);
    }
}
