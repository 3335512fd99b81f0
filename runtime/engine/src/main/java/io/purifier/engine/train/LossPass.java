package io.purifier.engine.train;

import io.purifier.engine.autograd.Tape;
import io.purifier.engine.autograd.Var;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.ForwardPass;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.nn.Gradients;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * One forward and backward pass of an {@link Objective}: the loss value, the requested gradients, and the pass's
 * logits. The arrays stay valid until {@link #close()}.
 */
public final class LossPass implements AutoCloseable {

    private final ForwardPass pass;
    private final double loss;
    private final Gradients gradients;

    private LossPass(ForwardPass pass, double loss, Gradients gradients) {
        this.pass = pass;
        this.loss = loss;
        this.gradients = gradients;
    }

    /**
     * Runs the passes. In {@link BnMode#TRAIN} batch norms update their running statistics (as in PyTorch).
     *
     * @param model     the model
     * @param images    {@code [N, C, H, W]} pixels in [0, 1]
     * @param mode      batch-norm mode
     * @param request   the parameters (and/or input) to differentiate
     * @param objective the loss
     * @throws IllegalStateException when the loss is not finite
     */
    public static LossPass run(EngineModel model, INDArray images, BnMode mode, GradientRequest request,
                               Objective objective) {
        return run(model, images, mode, request, objective, mode == BnMode.TRAIN);
    }

    /** {@link #run(EngineModel, INDArray, BnMode, GradientRequest, Objective)} choosing the statistics update. */
    public static LossPass run(EngineModel model, INDArray images, BnMode mode, GradientRequest request,
                               Objective objective, boolean updateStatistics) {
        ForwardPass pass = model.forward(images, mode, request, updateStatistics);
        // the tape's arrays (the objective's values and gradients, activation-sized for losses on layers) are
        // freed as soon as the network's backward pass has taken the seeds, not whenever the collector runs
        try (Tape tape = new Tape()) {
            PassOutputs outputs = new PassOutputs(pass, tape);
            Var loss = objective.loss(tape, outputs);
            double value = loss.scalar();
            if (!Double.isFinite(value)) {
                throw new IllegalStateException("the loss is " + value);
            }
            tape.backward(loss);
            Map<String, INDArray> seeds = outputs.seeds();
            Gradients g = seeds.isEmpty() || !request.any() ? null : pass.backward(seeds);
            return new LossPass(pass, value, g);
        } catch (RuntimeException | Error e) {
            pass.close();
            throw e;
        }
    }

    /** The loss value. */
    public double loss() {
        return loss;
    }

    /** The requested gradients (empty when the loss does not depend on them). */
    public Map<String, INDArray> parameterGradients() {
        return gradients == null ? Map.of() : gradients.parameters();
    }

    /** The gradients, or null when nothing was requested or the loss depends on nothing requested. */
    public Gradients gradients() {
        return gradients;
    }

    /** The gradient with respect to the input pixels (null unless requested). */
    public INDArray inputGradient() {
        return gradients == null ? null : gradients.input();
    }

    /** The pass's logits. */
    public INDArray logits() {
        return pass.logits();
    }

    /** The output of a public layer in this pass. */
    public INDArray output(String layer) {
        return pass.output(layer);
    }

    /** Returns the pass's arrays to the model's pool. */
    @Override
    public void close() {
        if (gradients != null) {
            gradients.close();
        }
        pass.close();
    }
}
