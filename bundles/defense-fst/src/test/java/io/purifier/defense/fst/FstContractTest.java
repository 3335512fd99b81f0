package io.purifier.defense.fst;

import io.purifier.api.defense.Defense;
import io.purifier.testkit.DefenseContractTest;

import java.util.Map;

/** The testkit's defense contract (README table included) on FST: one epoch. */
class FstContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new FstDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("epochs", 1, "batchSize", 32, "probeEvery", 0);
    }
}
