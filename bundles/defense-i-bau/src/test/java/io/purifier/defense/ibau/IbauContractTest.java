package io.purifier.defense.ibau;

import io.purifier.api.defense.Defense;
import io.purifier.api.model.Model;
import io.purifier.testkit.DefenseContractTest;
import io.purifier.testkit.TinyModels;

import java.util.Map;

/** The testkit's defense contract (README table included) on I-BAU: one round with a two-iteration hypergradient. */
class IbauContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new IbauDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("rounds", 1, "fixedPointIterations", 2, "batchSize", 32, "cropPadding", 0, "probeEvery", 0);
    }

    /**
     * An untrained small CNN with batch norm (seed 7): the contract checks the defense's mechanics, not its effect,
     * and IbauDefenseTest trains its own backdoored model, so a trained fixture here would be a second training.
     */
    @Override
    protected Model model() {
        return TinyModels.create("small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", true),
                TinyModels.spec(1, TinyModels.SIZE, TinyModels.CLASSES), 7);
    }
}
