package io.purifier.defense.clp;

import io.purifier.api.defense.Defense;
import io.purifier.testkit.DefenseContractTest;

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
}
