package io.purifier.engine.train;

import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One optimisation step on any scalar loss of the model's graph (cross-entropy, distillation, a defense's own
 * objective): TRAIN-mode forward and backward, optimiser update of the trainable parameters, running-statistics
 * update. The building block for defenses that train with their own losses.
 */
public final class TrainStep {

    private TrainStep() {
    }

    /**
     * Runs one step.
     *
     * @param model        the model, updated in place
     * @param images       {@code [B, C, H, W]} pixels in [0, 1]
     * @param feeds        the placeholders the loss needs besides the input
     * @param loss         the scalar loss variable
     * @param optimizer    the optimiser (keeps its state across steps)
     * @param learningRate the step size
     * @param outputs      further graph variables to return (for example logits)
     * @return the requested outputs plus the loss value under its own name
     * @throws IllegalStateException when the loss is not finite
     */
    public static Map<String, INDArray> run(EngineModel model, INDArray images, Map<String, INDArray> feeds, String loss,
                                            Optimizer optimizer, double learningRate, Collection<String> outputs) {
        List<String> wanted = new ArrayList<>(outputs);
        if (!wanted.contains(loss)) {
            wanted.add(loss);
        }
        wanted.addAll(BatchNormStatistics.outputsToRequest(model));
        OutAndGrad r = model.outputAndGradients(images, BnMode.TRAIN, feeds, loss, wanted, model.trainableParameterNames());
        double value = r.getOutputs().get(loss).getDouble(0);
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("loss '" + loss + "' is " + value + " (lower the learning rate " + learningRate + ")");
        }
        optimizer.step(model, r.getGradients(), learningRate);
        BatchNormStatistics.update(model, r.getOutputs());
        return r.getOutputs();
    }
}
