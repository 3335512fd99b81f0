package io.purifier.engine.train;

import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.model.EngineModel;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Running-statistics update of batch-norm layers after a {@link io.purifier.engine.model.BnMode#TRAIN}
 * forward pass, as PyTorch does it: {@code running = (1 - momentum) * running + momentum * batch}, with the
 * unbiased batch variance.
 */
public final class BatchNormStatistics {

    /** PyTorch's default momentum. */
    public static final double MOMENTUM = 0.1;

    private BatchNormStatistics() {
    }

    /** The graph outputs a training step must request so {@link #update} can run: batch mean, variance, count. */
    public static List<String> outputsToRequest(EngineModel model) {
        List<String> out = new ArrayList<>();
        for (BatchNormLayer bn : model.batchNormLayers()) {
            if (model.followsBatchNormMode(bn)) {
                out.add(bn.batchMean());
                out.add(bn.batchVar());
                out.add(bn.batchCount());
            }
        }
        return out;
    }

    /**
     * Updates every layer whose batch statistics are in {@code outputs}.
     *
     * @param model   the model
     * @param outputs graph outputs of a TRAIN-mode pass including {@link #outputsToRequest}
     */
    public static void update(EngineModel model, Map<String, INDArray> outputs) {
        for (BatchNormLayer bn : model.batchNormLayers()) {
            INDArray mean = outputs.get(bn.batchMean());
            INDArray var = outputs.get(bn.batchVar());
            INDArray count = outputs.get(bn.batchCount());
            if (mean == null || var == null || count == null) {
                continue;
            }
            double n = count.getDouble(0);
            double unbias = n > 1 ? n / (n - 1) : 1.0;
            INDArray runMean = model.array(bn.runningMean());
            INDArray runVar = model.array(bn.runningVar());
            runMean.muli(1 - MOMENTUM).addi(mean.reshape(bn.channels()).castTo(runMean.dataType()).muli(MOMENTUM));
            runVar.muli(1 - MOMENTUM).addi(var.reshape(bn.channels()).castTo(runVar.dataType()).muli(MOMENTUM * unbias));
        }
    }
}
