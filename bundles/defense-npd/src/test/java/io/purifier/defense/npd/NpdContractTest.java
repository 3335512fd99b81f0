package io.purifier.defense.npd;

import io.purifier.api.defense.Defense;
import io.purifier.api.model.Model;
import io.purifier.testkit.DefenseContractTest;
import io.purifier.testkit.TinyModels;

import java.util.Map;

/** The testkit's defense contract (README table included) on NPD: one main epoch (no warm-up) with a one-step inner attack. */
class NpdContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new NpdDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("epochs", 1, "warmupEpochs", 0, "batchSize", 32, "steps", 1);
    }

    /**
     * An untrained small CNN with batch norm (seed 7): the contract checks the defense's mechanics, not its effect,
     * and NPD's own tests work on untrained models too, so a trained fixture here would be the module's only training.
     */
    @Override
    protected Model model() {
        return TinyModels.create("small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", true),
                TinyModels.spec(1, TinyModels.SIZE, TinyModels.CLASSES), 7);
    }
}
