package io.purifier.defense.ft;

import io.purifier.api.defense.Defense;
import io.purifier.testkit.DefenseContractTest;

import java.util.Map;

/** The testkit's defense contract (README table included) on FT with one short epoch. */
class FineTuningContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new FineTuningDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("epochs", 1, "batchSize", 16, "cropPadding", 1);
    }
}
