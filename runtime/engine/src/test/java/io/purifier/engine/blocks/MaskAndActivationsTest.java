package io.purifier.engine.blocks;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.engine.TestModels;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphNames;
import io.purifier.engine.run.LocalRunContext;
import io.purifier.engine.train.Trainer;
import io.purifier.engine.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Channel masks, activations and parameter gradients. */
class MaskAndActivationsTest {

    private static EngineModel cnn(long seed) {
        return TestModels.create("small-cnn", Map.of("width", 4, "hidden", 16), TestModels.spec(1, 12, 3), seed);
    }

    @Test
    void channel_means_are_spatial_means_of_the_layer_output() {
        EngineModel model = cnn(1);
        INDArray x = TestModels.randomImages(1, 300, 1, 12, 12);
        INDArray full = Activations.of(model, x, "relu2");
        assertArrayEquals(new long[]{300, 8, 6, 6}, full.shape());
        INDArray means = Activations.channelMeans(model, x, "relu2");
        assertArrayEquals(new long[]{300, 8}, means.shape());
        assertTrue(full.mean(2, 3).equalsWithEps(means, 1e-6));
        assertArrayEquals(new long[]{300, 16}, Activations.channelMeans(model, x, "fc1").shape());
    }

    @Test
    void a_mask_zeroes_channels_and_stays_applied_during_fine_tuning() {
        EngineModel model = cnn(2);
        ImageSet data = TestModels.quadrants(3, 64, 12, 3);
        INDArray before = model.logits(data.images());
        boolean[] keep = {true, false, true, false, true, true, true, true};
        ChannelMask.apply(model, "conv2", keep);
        INDArray act = Activations.of(model, data.images(), "conv2");
        assertEquals(0.0, act.get(NDArrayIndex.all(), NDArrayIndex.point(1)).amaxNumber().doubleValue());
        assertEquals(0.0, act.get(NDArrayIndex.all(), NDArrayIndex.point(3)).amaxNumber().doubleValue());
        assertTrue(act.get(NDArrayIndex.all(), NDArrayIndex.point(0)).amaxNumber().doubleValue() > 0);
        assertNotEquals(before, model.logits(data.images()));

        Trainer.train(model, data, Augmentation.none(), null,
                new TrainingConfig("sgd", 0.05, 0.9, 0, "constant", 1, 32), LocalRunContext.quiet(1));
        INDArray tuned = Activations.of(model, data.images(), "conv2");
        assertEquals(0.0, tuned.get(NDArrayIndex.all(), NDArrayIndex.point(1)).amaxNumber().doubleValue());
        assertArrayEquals(keep, ChannelMask.keep(model, "conv2"));

        boolean[] all = new boolean[8];
        java.util.Arrays.fill(all, true);
        ChannelMask.apply(model, "conv2", all);
        assertTrue(Activations.of(model, data.images(), "conv2").get(NDArrayIndex.all(), NDArrayIndex.point(1))
                .amaxNumber().doubleValue() > 0, "replacing the mask should restore channel 1");
        assertThrows(InvalidInputException.class, () -> ChannelMask.apply(model, "conv2", new boolean[3]));
    }

    @Test
    void masking_survives_a_copy() {
        EngineModel model = cnn(4);
        boolean[] keep = {false, true, true, true, true, true, true, true};
        ChannelMask.apply(model, "relu2", keep);
        EngineModel copy = model.copy();
        assertArrayEquals(keep, ChannelMask.keep(copy, "relu2"));
        INDArray x = TestModels.randomImages(2, 10, 1, 12, 12);
        assertEquals(model.logits(x), copy.logits(x));
    }

    @Test
    void batched_parameter_gradients_equal_the_full_batch_gradient() {
        EngineModel model = TestModels.createDouble("small-cnn", Map.of("width", 2, "hidden", 4), TestModels.spec(1, 8, 3), 5);
        INDArray x = TestModels.randomImages(5, 200, 1, 8, 8);
        int[] y = TestModels.randomLabels(6, 200, 3);
        Map<String, INDArray> batched = ParameterGradients.ofCrossEntropy(model, x, y, List.of("conv2/W", "fc2/b"), BnMode.EVAL);
        Map<String, INDArray> whole = TestModels.gradients(model, x, BnMode.EVAL,
                io.purifier.engine.train.Objective.crossEntropy(y), "conv2/W", "fc2/b");
        assertTrue(whole.get("conv2/W").equalsWithEps(batched.get("conv2/W"), 1e-12));
        assertTrue(whole.get("fc2/b").equalsWithEps(batched.get("fc2/b"), 1e-12));
        assertArrayEquals(model.array("conv2/W").shape(), batched.get("conv2/W").shape());
    }
}
