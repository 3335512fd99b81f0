package io.purifier.defense.bcu;

import io.purifier.api.defense.Defense;
import io.purifier.api.model.Model;
import io.purifier.testkit.DefenseContractTest;
import io.purifier.testkit.TinyModels;

import java.util.Map;

/** The testkit's defense contract (README table included) on BCU on unlabeled data: one distillation epoch. */
class BcuContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new BcuDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("epochs", 1, "batchSize", 32, "cropPadding", 1, "probeEvery", 0);
    }

    /** The model BcuDefenseTest (the teacher) trains (once per JVM, shared). */
    @Override
    protected Model model() {
        return TinyModels.cleanCnn(21, false);
    }
}
