package io.purifier.defense.ibau;

import io.purifier.api.defense.Defense;
import io.purifier.testkit.DefenseContractTest;

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
}
