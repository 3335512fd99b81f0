package io.purifier.defense.npd;

import io.purifier.engine.blocks.Freezing;
import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphNames;
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
        EngineModel model = Tiny.model("small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", true), 21);
        Polarizer np = PolarizerInsertion.insert(model, "conv2", NpdParams.Placement.INPUT, 1);
        Freezing.freezeAllExcept(model, np.layers());
        NpdParams p = NpdParams.from(NpdParams.DESCRIPTOR.resolve(Map.of("epochs", 1, "warmupEpochs", 1,
                "batchSize", 12, "warmupLearningRate", 0.05)));
        AttackConfig attack = p.attack(1, Tiny.SIZE, Tiny.SIZE);
        NpdObjective objective = NpdObjective.install(model.graph(), model.graph().getVariable(GraphNames.LOGITS),
                Tiny.CLASSES, model.dataType(), attack.lossBound());

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

        TestRunContext ctx = new TestRunContext(3, null);
        NpdTraining training = new NpdTraining(model, np, objective, p, attack, 24, ctx);
        training.run(Tiny.bands(22, 24), new Random(3));

        assertEquals(14, frozenArrays.size(), "10 original parameters and 2 x 2 running statistics: " + frozenArrays);
        for (String name : frozenArrays) {
            assertEquals(before.get(name), model.array(name), name + " changed");
        }
        for (Map.Entry<String, INDArray> e : polarizerBefore.entrySet()) {
            assertNotEquals(e.getValue(), model.array(e.getKey()), e.getKey() + " was not trained");
        }
        assertEquals(4, ctx.progress.size(), "one progress report per batch: 2 warm-up and 2 main batches");
        assertEquals(1, ctx.curves.get("loss/total").size());
        assertTrue(training.lastEpoch().meanSteps() >= 1);
    }

    private static Map<String, INDArray> snapshot(EngineModel model, List<String> names) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, model.array(n).dup());
        }
        return out;
    }
}
