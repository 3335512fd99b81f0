package io.purifier.engine.train;

import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One optimisation step on any objective (cross-entropy, distillation, a defense's own loss): training-mode forward
 * and backward pass (running statistics updated), then the optimiser's update of the trainable parameters. The
 * building block for defenses that train with their own losses.
 */
public final class TrainStep {

    private TrainStep() {
    }

    /** The outcome of a step: the loss and a copy of the logits. */
    public record Result(double loss, INDArray logits) {
    }

    /**
     * Runs one step.
     *
     * @param model        the model, updated in place
     * @param images       {@code [B, C, H, W]} pixels in [0, 1]
     * @param objective    the loss
     * @param optimizer    the optimiser (keeps its state across steps)
     * @param learningRate the step size
     * @throws IllegalStateException when the loss is not finite
     */
    public static Result run(EngineModel model, INDArray images, Objective objective, Optimizer optimizer,
                             double learningRate) {
        return run(model, images, BnMode.TRAIN, objective, optimizer, learningRate);
    }

    /** {@link #run(EngineModel, INDArray, Objective, Optimizer, double)} in a chosen batch-norm mode. */
    public static Result run(EngineModel model, INDArray images, BnMode mode, Objective objective, Optimizer optimizer,
                             double learningRate) {
        try (LossPass p = LossPass.run(model, images, mode, model.trainableRequest(), objective)) {
            optimizer.step(model, p.parameterGradients(), learningRate);
            return new Result(p.loss(), p.logits().dup('c'));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + " (lower the learning rate " + learningRate + ")", e);
        }
    }
}
