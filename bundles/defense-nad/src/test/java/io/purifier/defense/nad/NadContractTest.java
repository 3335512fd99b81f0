package io.purifier.defense.nad;

import io.purifier.api.defense.Defense;
import io.purifier.api.model.Model;
import io.purifier.testkit.DefenseContractTest;
import io.purifier.testkit.TinyModels;

import java.util.Map;

/** The testkit's defense contract (README table included) on NAD: the input model teaches one student epoch (NadDefenseTest covers the teacher). */
class NadContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new NadDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("teacherEpochs", 0, "epochs", 1, "batchSize", 16, "cropPadding", 1);
    }

    /** The model NadDefenseTest trains (once per JVM, shared). */
    @Override
    protected Model model() {
        return TinyModels.backdooredCnn(61, true);
    }
}
