package io.purifier.defense.npd;

import io.purifier.api.defense.Defense;
import io.purifier.testkit.DefenseContractTest;

import java.util.Map;

/** The testkit's defense contract (README table included) on NPD: one warm-up and one main epoch with a one-step inner attack. */
class NpdContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new NpdDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("epochs", 1, "warmupEpochs", 1, "batchSize", 32, "steps", 1);
    }
}
