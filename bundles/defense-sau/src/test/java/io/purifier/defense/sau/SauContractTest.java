package io.purifier.defense.sau;

import io.purifier.api.defense.Defense;
import io.purifier.testkit.DefenseContractTest;

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
}
