package io.purifier.defense.nc;

import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.Defense;
import io.purifier.api.model.Model;
import io.purifier.testkit.DefenseContractTest;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;

import java.util.Map;

/** The testkit's defense contract (README table included) on Neural Cleanse: one search epoch per class and one unlearning epoch. */
class NcContractTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new NcDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("searchEpochs", 1, "epochs", 1, "batchSize", 30, "cropPadding", 0);
    }

    /** The model NcDefenseTest trains (once per JVM, shared). */
    @Override
    protected Model model() {
        return TinyModels.backdooredBarsCnn(101);
    }

    /** Clean bar images that fit the bar model. */
    @Override
    protected ImageSet labeledData() {
        return TinyData.bars(102, 60, TinyModels.BARS_SIZE, TinyModels.BARS_CLASSES);
    }
}
