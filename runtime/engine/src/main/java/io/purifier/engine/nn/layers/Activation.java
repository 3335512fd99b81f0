package io.purifier.engine.nn.layers;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.LayerContext;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.Parallel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An element-wise activation other than ReLU (which has its own native layer): leaky ReLU with slope
 * {@code alpha} below 0, the logistic sigmoid, tanh, or clipping to {@code [min, max]} (ReLU6, hardtanh). Forward
 * and backward are Java loops, parallel over chunks. The gradient of a clip passes where {@code min < x < max}.
 *
 * @param function the function
 * @param alpha    leaky ReLU's slope for negative inputs (unused otherwise)
 * @param min      clip's lower bound ({@code -Infinity} for none; unused otherwise)
 * @param max      clip's upper bound ({@code +Infinity} for none; unused otherwise)
 */
public record Activation(Function function, double alpha, double min, double max) implements Layer {

    /** Type id. */
    public static final String TYPE = "activation";

    private static final int CHUNK = 16_384;

    /** The supported functions. */
    public enum Function {
        /** {@code x > 0 ? x : alpha x}. */
        LEAKY_RELU,
        /** {@code 1 / (1 + exp(-x))}. */
        SIGMOID,
        /** {@code tanh(x)}. */
        TANH,
        /** {@code min(max(x, min), max)}. */
        CLIP;

        /** The id used in model files ({@code leaky_relu}, ...). */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Function of(String id) {
            for (Function f : values()) {
                if (f.id().equals(id)) {
                    return f;
                }
            }
            throw new InvalidInputException("unknown activation function '" + id + "' (known: leaky_relu, sigmoid, "
                    + "tanh, clip)");
        }
    }

    /** Checks the bounds of a clip; parameters a function does not use are set to 0. */
    public Activation {
        if (function != Function.LEAKY_RELU) {
            alpha = 0;
        }
        if (function != Function.CLIP) {
            min = 0;
            max = 0;
        }
        if (function == Function.CLIP && !(min <= max)) {
            throw new InvalidInputException("clip bounds must satisfy min <= max, got [" + min + ", " + max + "]");
        }
    }

    /** Leaky ReLU. */
    public static Activation leakyRelu(double alpha) {
        return new Activation(Function.LEAKY_RELU, alpha, 0, 0);
    }

    /** The sigmoid. */
    public static Activation sigmoid() {
        return new Activation(Function.SIGMOID, 0, 0, 0);
    }

    /** Tanh. */
    public static Activation tanh() {
        return new Activation(Function.TANH, 0, 0, 0);
    }

    /** Clipping to {@code [min, max]} (infinite bounds for none). */
    public static Activation clip(double min, double max) {
        return new Activation(Function.CLIP, 0, min, max);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("function", function.id());
        if (function == Function.LEAKY_RELU) {
            m.put("alpha", alpha);
        }
        if (function == Function.CLIP && Double.isFinite(min)) {
            m.put("min", min);
        }
        if (function == Function.CLIP && Double.isFinite(max)) {
            m.put("max", max);
        }
        return m;
    }

    static Activation from(Map<String, Object> a) {
        Attrs at = new Attrs(TYPE, a);
        Object f = a.get("function");
        if (!(f instanceof String id)) {
            throw new InvalidInputException("layer type '" + TYPE + "' needs attribute 'function' (a name), got " + f);
        }
        return new Activation(Function.of(id), at.real("alpha", 0.01), at.real("min", Double.NEGATIVE_INFINITY),
                at.real("max", Double.POSITIVE_INFINITY));
    }

    @Override
    public long[] outputShape(List<long[]> inputs) {
        return Shapes.only(TYPE, inputs);
    }

    @Override
    public INDArray forward(LayerContext ctx, List<INDArray> inputs) {
        INDArray x = inputs.get(0);
        INDArray y = ctx.take(x.shape());
        Buf xb = Buf.of(x);
        Buf yb = Buf.of(y);
        chunked(xb.length(), (from, to) -> {
            switch (function) {
                case LEAKY_RELU -> {
                    for (int i = from; i < to; i++) {
                        double v = xb.get(i);
                        yb.set(i, Math.max(v, 0) + alpha * Math.min(v, 0));
                    }
                }
                case SIGMOID -> {
                    for (int i = from; i < to; i++) {
                        yb.set(i, 1.0 / (1.0 + Math.exp(-xb.get(i))));
                    }
                }
                case TANH -> {
                    for (int i = from; i < to; i++) {
                        yb.set(i, Math.tanh(xb.get(i)));
                    }
                }
                case CLIP -> {
                    for (int i = from; i < to; i++) {
                        yb.set(i, Math.min(Math.max(xb.get(i), min), max));
                    }
                }
                default -> throw new IllegalStateException("unhandled activation " + function);
            }
        });
        return y;
    }

    @Override
    public INDArray[] backward(LayerContext ctx, List<INDArray> inputs, INDArray output, INDArray gradOut) {
        if (!ctx.needsInputGradient(0)) {
            return new INDArray[]{null};
        }
        INDArray gx = ctx.take(gradOut.shape());
        Buf x = Buf.of(inputs.get(0));
        Buf y = Buf.of(output);
        Buf g = Buf.of(gradOut);
        Buf out = Buf.of(gx);
        chunked(out.length(), (from, to) -> {
            switch (function) {
                case LEAKY_RELU -> {
                    for (int i = from; i < to; i++) {
                        double positive = x.get(i) > 0 ? 1.0 : 0.0;
                        out.set(i, g.get(i) * (positive + alpha * (1.0 - positive)));
                    }
                }
                case SIGMOID -> {
                    for (int i = from; i < to; i++) {
                        double s = y.get(i);
                        out.set(i, g.get(i) * s * (1.0 - s));
                    }
                }
                case TANH -> {
                    for (int i = from; i < to; i++) {
                        double t = y.get(i);
                        out.set(i, g.get(i) * (1.0 - t * t));
                    }
                }
                case CLIP -> {
                    for (int i = from; i < to; i++) {
                        double v = x.get(i);
                        out.set(i, v > min && v < max ? g.get(i) : 0.0);
                    }
                }
                default -> throw new IllegalStateException("unhandled activation " + function);
            }
        });
        return new INDArray[]{gx};
    }

    private static void chunked(int n, Parallel.Range body) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, CHUNK, (a, b) -> body.run(a * CHUNK, Math.min(n, b * CHUNK)));
    }
}
