package io.purifier.engine.blocks;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.Node;
import io.purifier.engine.nn.layers.Conv2d;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-neuron coefficients on a model's weights, the parametrisation behind neuron masks and neuron perturbations
 * (Adversarial Neuron Pruning) and neuron pruning. A <em>neuron</em> is an output channel k of a batch-norm layer
 * ({@code y_k = gamma_k * xhat_k + beta_k}) or of a convolution (filter {@code W_k}, bias {@code b_k}). With a weight
 * coefficient {@code w_k} and a bias coefficient {@code v_k} the layer computes with {@code gamma_k w_k} (or
 * {@code W_k w_k}) and {@code beta_k v_k} (or {@code b_k v_k}).
 *
 * <p>An instance remembers the original weights and biases of its targets: {@link #apply} writes the scaled values
 * into the model, {@link #coefficientGradients} turns a pass's gradients of those arrays into gradients of the
 * coefficients by the chain rule ({@code dL/dw_k = <dL/dW'_k, W_k>}, {@code dL/dv_k = dL/db'_k * b_k}), and
 * {@link #restore} writes the originals back. {@link #pruneWeight} zeroes a neuron's weight part in any model, as
 * ANP prunes (the bias part, {@code beta_k} or {@code b_k}, stays).</p>
 */
public final class NeuronScaling {

    /** What kind of layer a target is. */
    public enum Kind {
        /** Batch norm: weight part gamma, bias part beta. */
        BATCH_NORM,
        /** Convolution: weight part the filter, bias part the bias (if any). */
        CONVOLUTION
    }

    /**
     * One layer whose output channels are neurons.
     *
     * @param layer   the layer (node) name
     * @param kind    batch norm or convolution
     * @param weight  the weight-part array: gamma {@code [C]} or filters {@code [C, in, kH, kW]}
     * @param bias    the bias-part array {@code [C]}, or null for a convolution without bias
     * @param neurons C
     */
    public record Target(String layer, Kind kind, String weight, String bias, int neurons) {
    }

    /**
     * Gradients with respect to the coefficients, per target and neuron.
     *
     * @param weight {@code dL/dw} as {@code [target][neuron]}
     * @param bias   {@code dL/dv} as {@code [target][neuron]} (zeros for a target without bias)
     */
    public record CoefficientGradients(double[][] weight, double[][] bias) {
    }

    private final EngineModel model;
    private final List<Target> targets;
    private final Map<String, INDArray> originals = new LinkedHashMap<>();

    private NeuronScaling(EngineModel model, List<Target> targets) {
        this.model = model;
        this.targets = List.copyOf(targets);
        for (Target t : targets) {
            originals.put(t.weight(), model.array(t.weight()).dup('c'));
            if (t.bias() != null) {
                originals.put(t.bias(), model.array(t.bias()).dup('c'));
            }
        }
    }

    /** The batch-norm layers of {@code model} as targets, in forward order. */
    public static List<Target> batchNormTargets(EngineModel model) {
        List<Target> out = new ArrayList<>();
        for (BatchNormLayer bn : model.batchNormLayers()) {
            out.add(new Target(bn.name(), Kind.BATCH_NORM, bn.gamma(), bn.beta(), bn.channels()));
        }
        return out;
    }

    /** The convolutions of {@code model} as targets, in forward order. */
    public static List<Target> convolutionTargets(EngineModel model) {
        List<Target> out = new ArrayList<>();
        for (Node n : model.network().nodes()) {
            if (n.layer() instanceof Conv2d conv) {
                out.add(new Target(n.name(), Kind.CONVOLUTION, n.array("W"), conv.bias() ? n.array("b") : null, conv.out()));
            }
        }
        return out;
    }

    /**
     * Remembers the current weights of {@code targets} in {@code model}.
     *
     * @throws InvalidInputException when there is no target or an array is missing
     */
    public static NeuronScaling of(EngineModel model, List<Target> targets) {
        if (targets.isEmpty()) {
            throw new InvalidInputException("no neurons to scale in model '" + model.architectureId() + "'");
        }
        return new NeuronScaling(model, targets);
    }

    /** The targets, in the order the coefficient arrays use. */
    public List<Target> targets() {
        return targets;
    }

    /** The number of neurons over all targets. */
    public int neurons() {
        int n = 0;
        for (Target t : targets) {
            n += t.neurons();
        }
        return n;
    }

    /** The arrays whose gradients {@link #coefficientGradients} needs (weights and biases of the targets). */
    public List<String> parameters() {
        return List.copyOf(originals.keySet());
    }

    /**
     * Writes {@code original * coefficient} into the model.
     *
     * @param weight weight coefficients {@code [target][neuron]}
     * @param bias   bias coefficients {@code [target][neuron]}, or null for all ones
     */
    public void apply(double[][] weight, double[][] bias) {
        checkShape(weight, "weight");
        if (bias != null) {
            checkShape(bias, "bias");
        }
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            INDArray w = originals.get(t.weight());
            INDArray coeff = vector(weight[i], w);
            INDArray scaled = w.reshape('c', t.neurons(), w.length() / t.neurons()).mulColumnVector(coeff);
            model.array(t.weight()).assign(scaled.reshape('c', w.shape()));
            if (t.bias() != null) {
                INDArray b = originals.get(t.bias());
                model.array(t.bias()).assign(bias == null ? b : b.mul(vector(bias[i], b)));
            }
        }
    }

    /**
     * The coefficient gradients of a pass run after {@link #apply}.
     *
     * @param gradients the pass's parameter gradients, holding every name of {@link #parameters()} the loss depends
     *                  on (a missing one counts as zero)
     */
    public CoefficientGradients coefficientGradients(Map<String, INDArray> gradients) {
        double[][] gw = new double[targets.size()][];
        double[][] gb = new double[targets.size()][];
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            gw[i] = new double[t.neurons()];
            gb[i] = new double[t.neurons()];
            INDArray g = gradients.get(t.weight());
            if (g != null) {
                INDArray w = originals.get(t.weight());
                long rest = w.length() / t.neurons();
                gw[i] = g.reshape('c', t.neurons(), rest).mul(w.reshape('c', t.neurons(), rest)).sum(1).toDoubleVector();
            }
            INDArray h = t.bias() == null ? null : gradients.get(t.bias());
            if (h != null) {
                gb[i] = h.mul(originals.get(t.bias())).toDoubleVector();
            }
        }
        return new CoefficientGradients(gw, gb);
    }

    /** Writes the remembered weights and biases back into the model. */
    public void restore() {
        originals.forEach((name, values) -> model.array(name).assign(values));
    }

    /** Zeroes the weight part of neuron {@code neuron} of {@code target} in {@code into} (a model of the same graph). */
    public static void pruneWeight(EngineModel into, Target target, int neuron) {
        if (neuron < 0 || neuron >= target.neurons()) {
            throw new InvalidInputException("layer '" + target.layer() + "' has " + target.neurons() + " neurons, not "
                    + (neuron + 1));
        }
        INDArray w = into.array(target.weight());
        if (target.kind() == Kind.BATCH_NORM) {
            w.putScalar(neuron, 0.0);
        } else {
            w.reshape('c', target.neurons(), w.length() / target.neurons()).getRow(neuron).assign(0);
        }
    }

    private void checkShape(double[][] c, String what) {
        if (c.length != targets.size()) {
            throw new IllegalArgumentException(what + " coefficients for " + c.length + " layers, expected " + targets.size());
        }
        for (int i = 0; i < c.length; i++) {
            if (c[i].length != targets.get(i).neurons()) {
                throw new IllegalArgumentException(what + " coefficients of '" + targets.get(i).layer() + "' have "
                        + c[i].length + " values, expected " + targets.get(i).neurons());
            }
        }
    }

    private static INDArray vector(double[] values, INDArray like) {
        return Nd4j.createFromArray(values).castTo(like.dataType());
    }
}
