package io.purifier.defense.sau;

import io.purifier.api.defense.Defense;
import io.purifier.api.model.Model;
import io.purifier.testkit.DefenseContractTest;
import io.purifier.testkit.TinyModels;

import java.util.Map;

/** The testkit's defense contract (README table included) on SAU: one round with a two-step shared PGD. */
class SauContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new SauDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("epochs", 1, "batchSize", 32, "advSteps", 2, "probeEvery", 0);
    }

    /**
     * An untrained small CNN with batch norm (seed 7): the contract checks the defense's mechanics, not its effect,
     * and SauDefenseTest trains its own backdoored model, so a trained fixture here would be a second training.
     */
    @Override
    protected Model model() {
        return TinyModels.create("small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", true),
                TinyModels.spec(1, TinyModels.SIZE, TinyModels.CLASSES), 7);
    }
}
