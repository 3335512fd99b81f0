package io.purifier.defense.clp;

import io.purifier.api.defense.Defense;
import io.purifier.api.model.Model;
import io.purifier.testkit.DefenseContractTest;
import io.purifier.testkit.TinyModels;

import java.util.Map;

/** The testkit's defense contract (README table included) on CLP, data-free: a three-threshold reporting sweep. */
class ClpContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new ClpDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("uSteps", 3);
    }

    /**
     * An untrained small CNN with batch norm (seed 7): the contract checks the defense's mechanics, not its effect,
     * and ClpDefenseTest trains its own backdoored model, so a trained fixture here would be a second training.
     */
    @Override
    protected Model model() {
        return TinyModels.create("small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", true),
                TinyModels.spec(1, TinyModels.SIZE, TinyModels.CLASSES), 7);
    }
}
