package io.purifier.defense.wiper;

import io.purifier.api.defense.Defense;
import io.purifier.api.model.Model;
import io.purifier.testkit.DefenseContractTest;
import io.purifier.testkit.TinyModels;

import java.util.Map;

/** The testkit's defense contract (README table included) on Wiper: one epoch of the corrected variant on two layers. */
class WiperContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new WiperDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("epochs", 1, "batchSize", 32, "cropPadding", 1, "variant", "corrected", "selection", "lowest-abs-salience",
                "layers", "classifier, last-conv");
    }

    /** The model WiperDefenseTest trains (once per JVM, shared). */
    @Override
    protected Model model() {
        return TinyModels.backdooredCnn(5, true);
    }
}
