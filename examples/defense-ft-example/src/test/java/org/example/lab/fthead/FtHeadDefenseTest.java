package org.example.lab.fthead;

import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.Defense;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.model.Model;
import io.purifier.engine.model.EngineModel;
import io.purifier.testkit.DefenseContractTest;
import io.purifier.testkit.RecordingRunContext;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The testkit's defense contract, plus: only the head is trained. */
class FtHeadDefenseTest extends DefenseContractTest {

    @Override
    protected Defense defense() {
        return new FtHeadDefense();
    }

    @Override
    protected Map<String, Object> quickParams() {
        return Map.of("epochs", 1, "batchSize", 16);
    }

    @Test
    void only_the_last_layer_with_parameters_changes() throws Exception {
        EngineModel model = TinyModels.backdooredCnn(7, true);
        DefenseData data = new DefenseData(TinyData.quadrants(11, 60, TinyModels.SIZE, TinyModels.CLASSES), null, "test");
        Model purified = new FtHeadDefense().purify(model, data,
                FtHeadDefense.PARAMETERS.resolve(Map.of("epochs", 1, "batchSize", 16)), RecordingRunContext.seeded(1)).purified();
        EngineModel tuned = (EngineModel) purified;
        List<String> layers = model.layerNames().stream().filter(l -> !model.parametersOf(l).isEmpty()).toList();
        String head = layers.get(layers.size() - 1);
        for (String layer : layers) {
            for (String p : model.parametersOf(layer)) {
                boolean same = model.array(p).equals(tuned.array(p));
                if (layer.equals(head)) {
                    assertFalse(same, p + " of the head is trained");
                } else {
                    assertTrue(same, p + " outside the head stays frozen");
                }
            }
        }
        assertEquals(DataContract.labeledClean(0.05), new FtHeadDefense().dataContract());
    }
}
