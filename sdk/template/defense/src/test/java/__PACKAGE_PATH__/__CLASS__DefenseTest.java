package @@PACKAGE@@;

import io.purifier.api.defense.Defense;
import io.purifier.testkit.DefenseContractTest;

import java.util.Map;

/**
 * The testkit's defense contract (input model unchanged, same seed same model, progress to 100 %, cancellation,
 * data contract, id and service property, parameter errors, README table, foreign models and misfit data refused)
 * on a tiny backdoored model. {@code mvn verify} also runs the host IT ({@code @@CLASS@@HostIT}).
 */
class @@CLASS@@DefenseTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new @@CLASS@@Defense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("epochs", 1, "batchSize", 16);
    }
}
