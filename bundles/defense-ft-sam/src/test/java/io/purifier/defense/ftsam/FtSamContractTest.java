package io.purifier.defense.ftsam;

import io.purifier.api.defense.Defense;
import io.purifier.testkit.DefenseContractTest;

import java.util.Map;

/** The testkit's defense contract (README table included) on FT-SAM: one epoch of SAM steps. */
class FtSamContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new FtSamDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("epochs", 1, "batchSize", 32, "cropPadding", 0, "probeEvery", 0);
    }
}
