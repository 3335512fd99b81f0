package io.purifier.engine.blocks;

import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-weight gradients of the mean cross-entropy over a set of images, accumulated over batches (weighted by
 * batch size, so the result is the gradient of the mean over all images).
 */
public final class ParameterGradients {

    /** Images per batch. */
    public static final int BATCH = 128;

    private ParameterGradients() {
    }

    /**
     * @param model      the model
     * @param images     {@code [N, C, H, W]} pixels in [0, 1]
     * @param labels     N labels
     * @param parameters parameter names
     * @param mode       batch-norm mode of the forward pass (running statistics are not updated)
     * @return gradient per parameter, same shapes as the parameters (zeros where the loss does not depend on one)
     */
    public static Map<String, INDArray> ofCrossEntropy(EngineModel model, INDArray images, int[] labels,
                                                       Collection<String> parameters, BnMode mode) {
        GradientRequest request = GradientRequest.parameters(parameters);
        int n = labels.length;
        Map<String, INDArray> sum = new HashMap<>();
        for (String p : parameters) {
            sum.put(p, model.array(p).like().assign(0));
        }
        for (int start = 0; start < n; start += BATCH) {
            int end = Math.min(n, start + BATCH);
            INDArray x = images.get(NDArrayIndex.interval(start, end));
            int[] y = java.util.Arrays.copyOfRange(labels, start, end);
            try (LossPass r = LossPass.run(model, x, mode, request, Objective.crossEntropy(y), false)) {
                double weight = (double) (end - start) / n;
                r.parameterGradients().forEach((p, g) -> sum.get(p).addi(g.mul(weight)));
            }
        }
        return sum;
    }
}
