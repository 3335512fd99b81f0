package io.purifier.defense.ft;

import io.purifier.api.defense.Defense;
import io.purifier.api.model.Model;
import io.purifier.testkit.DefenseContractTest;
import io.purifier.testkit.TinyModels;

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

    /** The model FineTuningDefenseTest trains (once per JVM, shared). */
    @Override
    protected Model model() {
        return TinyModels.backdooredCnn(31, false);
    }
}
