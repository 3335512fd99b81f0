package io.purifier.defense.ibau;

import io.purifier.api.run.RunContext;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Minibatches;
import io.purifier.engine.train.Objective;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The inner maximisation of a round: one perturbation {@code delta} for all images, found by one pass of SGD over the
 * clean data (I-BAU's {@code batch_opt = SGD([batch_pert], lr=10)}): on each batch the labels are the model's own
 * predictions on the clean images, and {@code delta <- delta - lr grad(-CE(f(x + delta), labels) + reg ||delta||²)}.
 * No projection (BackdoorBench comments out the original's L2 ball), unless a bound is given.
 */
final class UniversalPerturbation {

    private UniversalPerturbation() {
    }

    /**
     * Searches a perturbation.
     *
     * @param model          the model (inference mode; not changed)
     * @param space          the perturbation's space
     * @param epoch          the batches of one pass
     * @param learningRate   SGD step on {@code delta}
     * @param regularization the weight of {@code ||delta||²}
     * @param normBound      radius of the L2 ball {@code delta} is scaled into at the end; 0 = none
     * @param ctx            cancellation
     * @return {@code delta}, DOUBLE {@code [1, C, H, W]} in normalized units
     */
    static INDArray search(EngineModel model, PerturbationSpace space, Minibatches epoch, double learningRate,
                           double regularization, double normBound, RunContext ctx) {
        INDArray delta = space.zeros();
        for (Minibatches.Batch b : epoch) {
            ctx.checkCancelled();
            INDArray x = b.images();
            int[] own = Evaluator.argMax(model.logits(x));
            INDArray g;
            try (LossPass p = LossPass.run(model, space.perturb(x, delta, null), BnMode.EVAL, GradientRequest.inputOnly(),
                    Objective.crossEntropy(own), false)) {
                g = space.deltaGradient(p.inputGradient(), null);
            }
            // d/d delta (-CE + reg ||delta||²) = -g + 2 reg delta
            delta.subi(g.neg().addi(delta.mul(2 * regularization)).muli(learningRate));
        }
        return bound(delta, normBound);
    }

    /** {@code delta * min(1, bound / ||delta||)}; unchanged when {@code bound} is 0. */
    static INDArray bound(INDArray delta, double normBound) {
        if (normBound <= 0) {
            return delta;
        }
        double norm = delta.norm2Number().doubleValue();
        return norm > normBound ? delta.mul(normBound / norm) : delta;
    }
}
