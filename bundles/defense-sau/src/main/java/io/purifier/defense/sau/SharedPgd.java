package io.purifier.defense.sau;

import io.purifier.engine.autograd.Tape;
import io.purifier.engine.autograd.Var;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.ForwardPass;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.nn.Gradients;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Random;

/**
 * SAU's shared PGD ({@code Shared_PGD.attack}): per-image perturbations, in pixel units and not clipped to [0, 1]
 * (as the reference, which computes but never applies the clip), that fool the model and its frozen original into
 * the same wrong class. Each step takes the input gradient of {@link SauLosses#attack} through both models (inference
 * mode), moves the perturbation against its sign and projects; the attack stops early once every image is a shared
 * adversarial example.
 */
final class SharedPgd {

    private SharedPgd() {
    }

    /**
     * The perturbation and what it achieved at its last step.
     *
     * @param perturbation {@code [B, C, H, W]} pixel offsets
     * @param shared       images that were shared adversarial examples at the last step evaluated
     * @param steps        steps taken
     */
    record Result(INDArray perturbation, int shared, int steps) {
    }

    /**
     * Attacks a batch.
     *
     * @param model    the model being purified (not changed)
     * @param original its frozen original (not changed)
     * @param images   {@code [B, C, H, W]} clean pixels
     * @param labels   their labels
     * @param p        norm, bound, start, step, steps, betas
     * @param rng      the random start's source
     */
    static Result attack(EngineModel model, EngineModel original, INDArray images, int[] labels, SauParams p, Random rng) {
        INDArray x = images.castTo(DataType.FLOAT);
        INDArray pert = p.normType().start(p.pgdInit(), x.shape(), p.triggerNorm(), rng);
        int[] clean = Evaluator.argMax(model.logits(x));
        int[] cleanOriginal = Evaluator.argMax(original.logits(x));
        int b = labels.length;
        int shared = 0;
        int steps = 0;
        for (int step = 0; step < p.advSteps(); step++) {
            INDArray perturbed = x.add(pert);
            try (ForwardPass pm = model.forward(perturbed, BnMode.EVAL, GradientRequest.inputOnly(), false);
                 ForwardPass po = original.forward(perturbed, BnMode.EVAL, GradientRequest.inputOnly(), false)) {
                int[] predicted = Evaluator.argMax(pm.logits());
                int[] predictedOriginal = Evaluator.argMax(po.logits());
                boolean[] notFooled = new boolean[b];
                boolean[] originalNotFooled = new boolean[b];
                boolean[] notShared = new boolean[b];
                shared = 0;
                for (int i = 0; i < b; i++) {
                    notFooled[i] = predicted[i] == clean[i];
                    originalNotFooled[i] = predictedOriginal[i] == cleanOriginal[i];
                    boolean isShared = !notFooled[i] && !originalNotFooled[i] && predicted[i] == predictedOriginal[i];
                    notShared[i] = !isShared;
                    shared += isShared ? 1 : 0;
                }
                INDArray grad = x.like().assign(0);
                try (Tape t = new Tape()) {
                    Var lm = t.leaf(pm.logits());
                    Var lo = t.leaf(po.logits());
                    Var loss = SauLosses.attack(t, lm, lo, labels, notFooled, originalNotFooled, notShared, p.beta1(),
                            p.beta2()).total();
                    t.backward(loss);
                    addInputGradient(pm, lm, grad);
                    addInputGradient(po, lo, grad);
                }
                INDArray move = Transforms.sign(grad, true).muli(p.advLearningRate());
                pert.subi(move);
                // image-sized temporaries, several per step: freed now, not whenever the collector runs
                move.close();
                grad.close();
                p.normType().project(pert, p.triggerNorm());
                steps++;
                if (shared == b) {
                    break;
                }
            } finally {
                perturbed.close();
            }
        }
        return new Result(pert, shared, steps);
    }

    private static void addInputGradient(ForwardPass pass, Var logits, INDArray into) {
        if (logits.grad() == null) {
            return;
        }
        try (Gradients g = pass.backward(logits.grad())) {
            into.addi(g.input().castTo(DataType.FLOAT));
        }
    }
}
