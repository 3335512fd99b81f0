package io.purifier.defense.fp;

import io.purifier.api.defense.Defense;
import io.purifier.api.model.Model;
import io.purifier.testkit.DefenseContractTest;
import io.purifier.testkit.TinyModels;

import java.util.Map;

/** The testkit's defense contract (README table included) on FP: pruning in steps of a quarter of the channels, one short fine-tuning epoch. */
class FinePruningContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new FinePruningDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("epochs", 1, "batchSize", 16, "cropPadding", 1, "oncePruneRatio", 0.25);
    }

    /** The model FinePruningDefenseTest trains (once per JVM, shared). */
    @Override
    protected Model model() {
        return TinyModels.backdooredCnn(51, false);
    }
}
