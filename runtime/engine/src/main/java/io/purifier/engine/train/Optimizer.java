package io.purifier.engine.train;

import io.purifier.engine.model.EngineModel;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.Parallel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * SGD with momentum, Adam or its AMSGrad variant, updating an {@link EngineModel}'s parameter arrays in place with
 * PyTorch's update rules (weight decay as an L2 term added to the gradient), one fused pass over each parameter.
 * State is kept per parameter name, so a new parameter (after an insertion) simply starts with fresh state.
 */
public final class Optimizer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPS = 1e-8;
    private static final int CHUNK = 16_384;

    private final boolean adam;
    private final boolean amsgrad;
    private final double momentum;
    private final double weightDecay;
    private final Map<String, INDArray> first = new HashMap<>();
    private final Map<String, INDArray> second = new HashMap<>();
    private final Map<String, INDArray> secondMax = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();

    private Optimizer(boolean adam, boolean amsgrad, double momentum, double weightDecay) {
        this.adam = adam;
        this.amsgrad = amsgrad;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /** PyTorch {@code SGD(momentum, weight_decay)} (dampening 0, no Nesterov). */
    public static Optimizer sgd(double momentum, double weightDecay) {
        return new Optimizer(false, false, momentum, weightDecay);
    }

    /** PyTorch {@code Adam(betas=(0.9, 0.999), eps=1e-8, weight_decay)}. */
    public static Optimizer adam(double weightDecay) {
        return new Optimizer(true, false, 0, weightDecay);
    }

    /**
     * PyTorch {@code Adam(betas=(0.9, 0.999), eps=1e-8, weight_decay, amsgrad=True)}: the second moment in the
     * denominator is the running maximum of the (uncorrected) second moments, then bias-corrected. BackdoorBench's
     * {@code client_optimizer: adam} builds this.
     */
    public static Optimizer amsgrad(double weightDecay) {
        return new Optimizer(true, true, 0, weightDecay);
    }

    /**
     * Applies one update to every parameter that has a gradient.
     *
     * @param model        the model whose arrays are updated in place
     * @param gradients    gradient by parameter name
     * @param learningRate the step size
     */
    public void step(EngineModel model, Map<String, INDArray> gradients, double learningRate) {
        for (Map.Entry<String, INDArray> e : gradients.entrySet()) {
            String name = e.getKey();
            INDArray w = model.array(name);
            if (adam) {
                adamStep(name, w, e.getValue(), learningRate);
            } else {
                sgdStep(name, w, e.getValue(), learningRate);
            }
        }
    }

    private void sgdStep(String name, INDArray w, INDArray g, double lr) {
        Buf wb = Buf.of(w);
        Buf gb = Buf.of(g);
        double wd = weightDecay;
        if (momentum == 0) {
            chunked(wb.length(), (from, to) -> {
                for (int i = from; i < to; i++) {
                    double wi = wb.get(i);
                    wb.set(i, wi - lr * (gb.get(i) + wd * wi));
                }
            });
            return;
        }
        boolean fresh = !first.containsKey(name);
        Buf buf = Buf.of(first.computeIfAbsent(name, k -> w.ulike()));
        double m = momentum;
        chunked(wb.length(), (from, to) -> {
            for (int i = from; i < to; i++) {
                double wi = wb.get(i);
                double d = gb.get(i) + wd * wi;
                double v = fresh ? d : m * buf.get(i) + d;
                buf.set(i, v);
                wb.set(i, wi - lr * v);
            }
        });
    }

    private void adamStep(String name, INDArray w, INDArray g, double lr) {
        Buf wb = Buf.of(w);
        Buf gb = Buf.of(g);
        Buf mb = Buf.of(first.computeIfAbsent(name, k -> w.like().assign(0)));
        Buf vb = Buf.of(second.computeIfAbsent(name, k -> w.like().assign(0)));
        Buf vmax = amsgrad ? Buf.of(secondMax.computeIfAbsent(name, k -> w.like().assign(0))) : vb;
        boolean keepMax = amsgrad;
        int t = steps.merge(name, 1, Integer::sum);
        double bias1 = 1 - Math.pow(BETA1, t);
        double bias2 = 1 - Math.pow(BETA2, t);
        double wd = weightDecay;
        chunked(wb.length(), (from, to) -> {
            for (int i = from; i < to; i++) {
                double wi = wb.get(i);
                double d = gb.get(i) + wd * wi;
                double m = BETA1 * mb.get(i) + (1 - BETA1) * d;
                double v = BETA2 * vb.get(i) + (1 - BETA2) * d * d;
                mb.set(i, m);
                vb.set(i, v);
                double denominator = v;
                if (keepMax) {
                    denominator = Math.max(vmax.get(i), v);
                    vmax.set(i, denominator);
                }
                wb.set(i, wi - lr / bias1 * m / (Math.sqrt(denominator / bias2) + ADAM_EPS));
            }
        });
    }

    private static void chunked(int n, Parallel.Range body) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, CHUNK, (a, b) -> body.run(a * CHUNK, Math.min(n, b * CHUNK)));
    }

    /**
     * Writes the per-parameter state (moments, step counts) for a training checkpoint; {@link #readState} restores it
     * into an optimizer of the same kind.
     */
    void writeState(DataOutputStream out) throws IOException {
        out.writeUTF(kind());
        TreeSet<String> names = new TreeSet<>(first.keySet());
        names.addAll(second.keySet());
        names.addAll(steps.keySet());
        out.writeInt(names.size());
        for (String name : names) {
            out.writeUTF(name);
            out.writeInt(steps.getOrDefault(name, -1));
            for (Map<String, INDArray> slot : java.util.List.of(first, second, secondMax)) {
                INDArray a = slot.get(name);
                out.writeBoolean(a != null);
                if (a != null) {
                    ArrayValues.write(a, out);
                }
            }
        }
    }

    /**
     * Replaces this optimizer's state with one written by {@link #writeState}.
     *
     * @throws IOException when the state is of another optimizer kind, names a parameter {@code model} does not
     *                     have, or its arrays do not fit the parameters
     */
    void readState(DataInputStream in, EngineModel model) throws IOException {
        String kind = in.readUTF();
        if (!kind.equals(kind())) {
            throw new IOException("the optimizer state is " + kind + "'s, this training uses " + kind());
        }
        first.clear();
        second.clear();
        secondMax.clear();
        steps.clear();
        int count = in.readInt();
        for (int p = 0; p < count; p++) {
            String name = in.readUTF();
            if (!model.hasArray(name)) {
                throw new IOException("the optimizer state names parameter '" + name + "', which the model does not have");
            }
            INDArray w = model.array(name);
            int t = in.readInt();
            if (t >= 0) {
                steps.put(name, t);
            }
            for (Map<String, INDArray> slot : java.util.List.of(first, second, secondMax)) {
                if (in.readBoolean()) {
                    INDArray a = w.ulike();
                    ArrayValues.read(in, a, name);
                    slot.put(name, a);
                }
            }
        }
    }

    private String kind() {
        return amsgrad ? "amsgrad" : adam ? "adam" : "sgd";
    }

    /** Forgets the state of {@code parameter} (for example after re-initialising it). */
    public void reset(String parameter) {
        first.remove(parameter);
        second.remove(parameter);
        secondMax.remove(parameter);
        steps.remove(parameter);
    }
}
