package io.purifier.defense.npd;

import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * NPD's inner problem (BackdoorBench {@code npd.py}, step 4.1): a targeted attack on the polarized model, in
 * [0, 1] pixel space, every batch norm in inference mode. Per step: the clamped target cross-entropy of
 * {@code clip(x + delta, 0, 1)}, averaged over the batch, is differentiated with respect to delta, delta moves
 * down (sign or plain gradient), is projected onto the norm ball, and the attack stops once more than
 * {@code earlyStopFraction} of the batch is classified as its target.
 *
 * <p>The check after step s and the gradient of step s+1 are the same forward pass at the same delta, so they are
 * taken from one call; only the check after the last step needs a pass of its own.</p>
 */
final class PolarizerAttack {

    /**
     * The attack's outcome.
     *
     * @param adversarial the perturbed images {@code clip(x + delta, 0, 1)}, detached
     * @param logits      the model's logits on them (same parameters as during the attack)
     * @param steps       how many steps were taken before the early stop or the step limit
     * @param hitRate     fraction of the batch classified as its target at the end
     * @param delta       the perturbation (before clipping the image)
     */
    record Result(INDArray adversarial, INDArray logits, int steps, double hitRate, INDArray delta) {
    }

    private PolarizerAttack() {
    }

    /**
     * Runs the attack.
     *
     * @param model   the polarized model
     * @param images  {@code [B, C, H, W]} clean pixels in [0, 1]
     * @param targets the B target labels
     * @param cfg     norm, radius, step, steps, early stop, loss bound
     */
    static Result run(EngineModel model, INDArray images, int[] targets, AttackConfig cfg) {
        INDArray x = images.castTo(DataType.FLOAT);
        INDArray delta = Perturbations.initial(x.shape(), cfg.maxInit(), cfg.radius());
        Objective objective = NpdObjective.attack(targets, cfg.lossBound());
        INDArray logits = null;
        int taken = 0;
        for (int s = 0; s < cfg.steps(); s++) {
            INDArray inputGradient;
            try (LossPass r = LossPass.run(model, Perturbations.perturbed(x, delta), BnMode.EVAL,
                    GradientRequest.inputOnly(), objective, false)) {
                if (s > 0) {
                    logits = r.logits().dup('c');
                    if (hitRate(logits, targets) > cfg.earlyStopFraction()) {
                        break;
                    }
                }
                inputGradient = r.inputGradient().dup('c');
            }
            INDArray g = Perturbations.gradientThroughClip(x, delta, inputGradient);
            delta = Perturbations.project(Perturbations.step(delta, g, cfg.stepSize(), cfg.stepRule()), cfg.norm(),
                    cfg.radius());
            taken++;
            logits = null;
        }
        INDArray adversarial = Perturbations.perturbed(x, delta);
        if (logits == null) {
            logits = model.logits(adversarial);
        }
        return new Result(adversarial, logits, taken, hitRate(logits, targets), delta);
    }

    /** Fraction of rows whose argmax equals the target. */
    static double hitRate(INDArray logits, int[] targets) {
        double[][] z = logits.toDoubleMatrix();
        int hits = 0;
        for (int i = 0; i < z.length; i++) {
            if (TargetEstimation.argMax(z[i]) == targets[i]) {
                hits++;
            }
        }
        return targets.length == 0 ? 0 : hits / (double) targets.length;
    }
}
