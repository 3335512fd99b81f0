package io.purifier.defense.npd;

import io.purifier.api.data.ImageSet;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import io.purifier.engine.model.GraphNames;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolarizerStatisticsTest {

    @Test
    void the_identity_start_keeps_the_model_unchanged_in_both_batch_norm_modes() {
        EngineModel model = TinyModels.cnn(8, 3, 4);
        ImageSet data = TinyData.quadrants(5, 30, 8, 3);
        INDArray before = model.logits(data.images());
        Polarizer np = PolarizerInsertion.insert(model, "conv2", NpdParams.Placement.INPUT, 1);
        INDArray trainBefore = trainModeLogits(model, data);
        assertTrue(maxAbsDiff(before, trainBefore) > 1e-3,
                "the reference start standardizes the features in training mode, so the outputs move");

        INDArray variance = PolarizerStatistics.startAsIdentity(model, np, data, 7);

        assertTrue(maxAbsDiff(before, model.logits(data.images())) < 1e-4, "inference mode is the identity");
        assertTrue(maxAbsDiff(before, trainModeLogits(model, data)) < 1e-3,
                "training mode on the same data (one batch, so batch statistics = data statistics) is the identity");
        INDArray gamma = model.array(np.batchNorm().gamma()).castTo(DataType.DOUBLE);
        for (int c = 0; c < np.channels(); c++) {
            assertEquals(Math.sqrt(variance.getDouble(c) + GraphBuilder.BN_EPS), gamma.getDouble(c), 1e-5);
            assertEquals(variance.getDouble(c), model.array(np.batchNorm().runningVar()).getDouble(c), 1e-5);
        }
        assertEquals(model.array(np.batchNorm().beta()), model.array(np.batchNorm().runningMean()));
    }

    private static INDArray trainModeLogits(EngineModel model, ImageSet data) {
        return model.activations(data.images(), BnMode.TRAIN, GraphNames.LOGITS).get(GraphNames.LOGITS);
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
