package io.purifier.engine.blocks;

import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import io.purifier.engine.train.Optimizer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sharpness-aware minimisation step on any {@link Objective}, with BackdoorBench's {@code SAM.step} semantics:
 * <ol>
 *   <li>gradient {@code g} of the loss at the weights {@code w} (training-mode pass; running statistics updated);</li>
 *   <li>every trainable parameter moves to {@code w + e}, {@code e = rho g / (||g|| + 1e-12)}, or with
 *   {@code adaptive} {@code e = rho w² g / (|| |w| g || + 1e-12)}; the norms run over all parameters together;</li>
 *   <li>gradient {@code g'} at {@code w + e} (training-mode pass, running statistics <em>not</em> updated);</li>
 *   <li>with {@code alpha != 0} (GSAM) {@code g' -= alpha (g - cos(g, g') ||g|| g' / (||g'|| + 1e-12))};</li>
 *   <li>the weights go back to exactly {@code w} and the optimiser steps with {@code g'}.</li>
 * </ol>
 */
public final class SharpnessAwareStep {

    private SharpnessAwareStep() {
    }

    /**
     * The outcome: the loss and logits of the first pass (at the unperturbed weights, as BackdoorBench reports
     * them), and the norm of the perturbation.
     *
     * @param loss              loss at {@code w}
     * @param logits            a copy of the first pass's logits
     * @param perturbationNorm  {@code ||e||} over all parameters
     */
    public record Result(double loss, INDArray logits, double perturbationNorm) {
    }

    /**
     * Runs one step on the model's trainable parameters.
     *
     * @param model        the model, updated in place
     * @param images       {@code [B, C, H, W]} pixels in [0, 1]
     * @param objective    the loss
     * @param optimizer    the base optimiser (keeps its state across steps)
     * @param learningRate the base optimiser's step size
     * @param cfg          rho, adaptive, alpha
     * @throws IllegalStateException when a loss is not finite
     */
    public static Result run(EngineModel model, INDArray images, Objective objective, Optimizer optimizer,
                             double learningRate, SamConfig cfg) {
        GradientRequest request = model.trainableRequest();
        double loss;
        INDArray logits;
        Map<String, INDArray> first = new LinkedHashMap<>();
        try (LossPass p = LossPass.run(model, images, BnMode.TRAIN, request, objective, true)) {
            loss = p.loss();
            logits = p.logits().dup('c');
            p.parameterGradients().forEach((name, g) -> first.put(name, g.dup('c')));
        }
        Map<String, INDArray> original = new LinkedHashMap<>();
        double scaleNorm = norm(first, cfg.adaptive() ? model : null);
        double scale = cfg.rho() / (scaleNorm + SamConfig.PERTURB_EPS);
        double perturbationSquared = 0;
        for (Map.Entry<String, INDArray> e : first.entrySet()) {
            INDArray w = model.array(e.getKey());
            original.put(e.getKey(), w.dup('c'));
            perturbationSquared += perturb(Buf.of(w), Buf.of(e.getValue()), scale, cfg.adaptive());
        }
        Map<String, INDArray> second = new LinkedHashMap<>();
        try (LossPass p = LossPass.run(model, images, BnMode.TRAIN, request, objective, false)) {
            p.parameterGradients().forEach((name, g) -> second.put(name, g.dup('c')));
        } finally {
            original.forEach(model::assign);
        }
        if (cfg.alpha() != 0) {
            decompose(first, second, cfg.alpha());
        }
        optimizer.step(model, second, learningRate);
        return new Result(loss, logits, Math.sqrt(perturbationSquared));
    }

    /** Moves {@code w} by {@code e} and returns {@code ||e||²}. */
    private static double perturb(Buf w, Buf g, double scale, boolean adaptive) {
        double squared = 0;
        for (int i = 0; i < w.length(); i++) {
            double wi = w.get(i);
            double e = g.get(i) * scale * (adaptive ? wi * wi : 1.0);
            w.set(i, wi + e);
            squared += e * e;
        }
        return squared;
    }

    /** GSAM: {@code second -= alpha (first - cos ||first|| second / (||second|| + eps))}, in place. */
    private static void decompose(Map<String, INDArray> first, Map<String, INDArray> second, double alpha) {
        double inner = 0;
        for (Map.Entry<String, INDArray> e : second.entrySet()) {
            INDArray old = first.get(e.getKey());
            if (old != null) {
                Buf a = Buf.of(old);
                Buf b = Buf.of(e.getValue());
                for (int i = 0; i < a.length(); i++) {
                    inner += a.get(i) * b.get(i);
                }
            }
        }
        double newNorm = norm(second, null);
        double oldNorm = norm(first, null);
        double cosine = inner / (newNorm * oldNorm + SamConfig.PERTURB_EPS);
        for (Map.Entry<String, INDArray> e : second.entrySet()) {
            INDArray old = first.get(e.getKey());
            if (old == null) {
                continue;
            }
            Buf a = Buf.of(old);
            Buf b = Buf.of(e.getValue());
            for (int i = 0; i < b.length(); i++) {
                double vertical = a.get(i) - cosine * oldNorm * b.get(i) / (newNorm + SamConfig.PERTURB_EPS);
                b.set(i, b.get(i) - alpha * vertical);
            }
        }
    }

    /** {@code sqrt(sum ||g||²)}, or with {@code weightsOf} set {@code sqrt(sum || |w| g ||²)}. */
    private static double norm(Map<String, INDArray> gradients, EngineModel weightsOf) {
        double squared = 0;
        for (Map.Entry<String, INDArray> e : gradients.entrySet()) {
            Buf g = Buf.of(e.getValue());
            Buf w = weightsOf == null ? null : Buf.of(weightsOf.array(e.getKey()));
            for (int i = 0; i < g.length(); i++) {
                double v = g.get(i) * (w == null ? 1.0 : Math.abs(w.get(i)));
                squared += v * v;
            }
        }
        return Math.sqrt(squared);
    }
}
