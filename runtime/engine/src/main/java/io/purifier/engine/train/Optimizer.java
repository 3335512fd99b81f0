package io.purifier.engine.train;

import io.purifier.engine.model.EngineModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.HashMap;
import java.util.Map;

/**
 * SGD with momentum or Adam, updating an {@link EngineModel}'s parameter arrays in place, with PyTorch's update
 * rules (weight decay as an L2 term added to the gradient). State is kept per parameter name, so a new
 * parameter (after an insertion) simply starts with fresh state.
 */
public final class Optimizer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPS = 1e-8;

    private final boolean adam;
    private final double momentum;
    private final double weightDecay;
    private final Map<String, INDArray> first = new HashMap<>();
    private final Map<String, INDArray> second = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();

    private Optimizer(boolean adam, double momentum, double weightDecay) {
        this.adam = adam;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /** PyTorch {@code SGD(momentum, weight_decay)} (dampening 0, no Nesterov). */
    public static Optimizer sgd(double momentum, double weightDecay) {
        return new Optimizer(false, momentum, weightDecay);
    }

    /** PyTorch {@code Adam(betas=(0.9, 0.999), eps=1e-8, weight_decay)}. */
    public static Optimizer adam(double weightDecay) {
        return new Optimizer(true, 0, weightDecay);
    }

    /**
     * Applies one update to every parameter that has a gradient.
     *
     * @param model        the model whose arrays are updated in place
     * @param gradients    gradient by parameter name (as returned by {@link EngineModel#outputAndGradients})
     * @param learningRate the step size
     */
    public void step(EngineModel model, Map<String, INDArray> gradients, double learningRate) {
        java.util.Set<String> parameters = new java.util.HashSet<>(model.parameterNames());
        for (Map.Entry<String, INDArray> e : gradients.entrySet()) {
            String name = e.getKey();
            if (!parameters.contains(name)) {
                continue;
            }
            INDArray w = model.array(name);
            INDArray g = e.getValue();
            if (weightDecay != 0) {
                g = g.add(w.mul(weightDecay));
            }
            if (adam) {
                adamStep(name, w, g, learningRate);
            } else {
                sgdStep(name, w, g, learningRate);
            }
        }
    }

    private void sgdStep(String name, INDArray w, INDArray g, double lr) {
        if (momentum == 0) {
            w.subi(g.mul(lr));
            return;
        }
        INDArray buf = first.get(name);
        if (buf == null) {
            buf = g.dup();
            first.put(name, buf);
        } else {
            buf.muli(momentum).addi(g);
        }
        w.subi(buf.mul(lr));
    }

    private void adamStep(String name, INDArray w, INDArray g, double lr) {
        INDArray m = first.computeIfAbsent(name, k -> w.like().assign(0));
        INDArray v = second.computeIfAbsent(name, k -> w.like().assign(0));
        int t = steps.merge(name, 1, Integer::sum);
        m.muli(BETA1).addi(g.mul(1 - BETA1));
        v.muli(BETA2).addi(g.mul(g).muli(1 - BETA2));
        double bias1 = 1 - Math.pow(BETA1, t);
        double bias2 = 1 - Math.pow(BETA2, t);
        INDArray denom = Transforms.sqrt(v.div(bias2), false).addi(ADAM_EPS);
        w.subi(m.div(denom).muli(lr / bias1));
    }

    /** Forgets the state of {@code parameter} (for example after re-initialising it). */
    public void reset(String parameter) {
        first.remove(parameter);
        second.remove(parameter);
        steps.remove(parameter);
    }
}
