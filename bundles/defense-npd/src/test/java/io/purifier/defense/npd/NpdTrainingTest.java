package io.purifier.defense.npd;

import io.purifier.engine.blocks.Freezing;
import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.model.EngineModel;
import io.purifier.testkit.RecordingRunContext;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpdTrainingTest {

    @Test
    void trains_only_the_polarizer_and_leaves_every_frozen_array_bit_identical() {
        EngineModel model = TinyModels.create("small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", true), TinyModels.spec(1, 8, 3), 21);
        Polarizer np = PolarizerInsertion.insert(model, "conv2", NpdParams.Placement.INPUT, 1);
        Freezing.freezeAllExcept(model, np.layers());
        NpdParams p = NpdParams.from(NpdParams.DESCRIPTOR.resolve(Map.of("epochs", 1, "warmupEpochs", 1,
                "batchSize", 12, "warmupLearningRate", 0.05)));
        AttackConfig attack = p.attack(1, 8, 8);

        List<String> frozenArrays = new ArrayList<>();
        for (String name : model.parameterNames()) {
            if (!np.parameters().contains(name)) {
                frozenArrays.add(name);
            }
        }
        for (BatchNormLayer bn : model.batchNormLayers()) {
            if (!bn.name().equals(np.batchNorm().name())) {
                frozenArrays.add(bn.runningMean());
                frozenArrays.add(bn.runningVar());
            }
        }
        Map<String, INDArray> before = snapshot(model, frozenArrays);
        Map<String, INDArray> polarizerBefore = snapshot(model, List.of(np.weight(), np.batchNorm().gamma(),
                np.batchNorm().beta(), np.batchNorm().runningMean(), np.batchNorm().runningVar()));

        RecordingRunContext ctx = RecordingRunContext.seeded(3);
        NpdTraining training = new NpdTraining(model, np, p, attack, 24, ctx);
        training.run(TinyData.quadrants(22, 24, 8, 3), new Random(3));

        assertEquals(14, frozenArrays.size(), "10 original parameters and 2 x 2 running statistics: " + frozenArrays);
        for (String name : frozenArrays) {
            assertEquals(before.get(name), model.array(name), name + " changed");
        }
        for (Map.Entry<String, INDArray> e : polarizerBefore.entrySet()) {
            assertNotEquals(e.getValue(), model.array(e.getKey()), e.getKey() + " was not trained");
        }
        assertEquals(4, ctx.progress().size(), "one progress report per batch: 2 warm-up and 2 main batches");
        assertEquals(1, ctx.curve("loss/total").size());
        assertTrue(training.lastEpoch().meanSteps() >= 1);
    }

    @Test
    void a_diverging_polarizer_is_restored_and_retrained_at_half_the_step_size() {
        Setup s = setup(Map.of("epochs", 2, "warmupEpochs", 0, "batchSize", 12, "learningRate", 10.0,
                "maxHalvings", 40));
        // features 50x larger than the model's usual input make a step of 10 explode
        var data = TinyData.quadrants(22, 24, 8, 3);
        data.images().muli(50);
        s.training.run(data, new Random(3));

        int halvings = s.training.halvings();
        assertTrue(halvings >= 1, "a step size of 10 must trip the guard");
        assertEquals(10.0 / Math.pow(2, halvings), s.training.learningRate(), 1e-12);
        assertTrue(s.ctx.logs().stream().anyMatch(l -> l.startsWith("WARN npd: diverging in epoch 1")), String.join("\n", s.ctx.logs()));
        assertEquals(2, s.ctx.curve("loss/total").size(), "each epoch is recorded once, however often it was repeated");
        double limit = s.training.divergenceLimit();
        assertTrue(Double.isFinite(limit));
        for (double[] point : s.ctx.curve("defense data/clean CE after the epoch")) {
            assertTrue(point[1] <= limit, "epoch " + point[0] + " ended at clean loss " + point[1] + " above " + limit);
        }
        assertEquals(s.training.learningRate(), s.ctx.curve("learning rate").get(1)[1], 1e-12);
    }

    @Test
    void a_run_still_diverging_after_the_allowed_halvings_fails_with_a_message_naming_the_step_size() {
        Setup s = setup(Map.of("epochs", 1, "warmupEpochs", 0, "batchSize", 12, "learningRate", 0.01, "divergenceFactor", 1e-6, "maxHalvings", 0));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> s.training.run(TinyData.quadrants(22, 24, 8, 3), new Random(3)));
        assertTrue(e.getMessage().startsWith("npd diverged in epoch 1"), e.getMessage());
        assertTrue(e.getMessage().contains("set a smaller learningRate"), e.getMessage());
    }

    private record Setup(NpdTraining training, RecordingRunContext ctx) {
    }

    private static Setup setup(Map<String, Object> raw) {
        EngineModel model = TinyModels.create("small-cnn", Map.of("width", 4, "hidden", 16), TinyModels.spec(1, 8, 3), 21);
        Polarizer np = PolarizerInsertion.insert(model, "conv2", NpdParams.Placement.INPUT, 1);
        Freezing.freezeAllExcept(model, np.layers());
        NpdParams p = NpdParams.from(NpdParams.DESCRIPTOR.resolve(raw));
        AttackConfig attack = p.attack(1, 8, 8);
        RecordingRunContext ctx = RecordingRunContext.seeded(3);
        return new Setup(new NpdTraining(model, np, p, attack, 24, ctx), ctx);
    }

    private static Map<String, INDArray> snapshot(EngineModel model, List<String> names) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, model.array(n).dup());
        }
        return out;
    }
}
