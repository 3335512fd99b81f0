package io.purifier.defense.anp;

import io.purifier.api.defense.Defense;
import io.purifier.api.model.Model;
import io.purifier.testkit.DefenseContractTest;
import io.purifier.testkit.TinyModels;

import java.util.Map;

/** The testkit's defense contract (README table included) on ANP: two mask iterations and a coarse pruning sweep. */
class AnpContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new AnpDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("iterations", 2, "logEvery", 1, "batchSize", 16, "cropPadding", 0, "pruningStep", 0.3);
    }

    /** The model AnpDefenseTest trains (once per JVM, shared). */
    @Override
    protected Model model() {
        return TinyModels.backdooredCnn(91, true);
    }
}
