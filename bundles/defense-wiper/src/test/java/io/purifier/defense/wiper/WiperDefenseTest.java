package io.purifier.defense.wiper;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.testkit.RecordingRunContext;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole {@code purify} on a tiny backdoored small CNN (1x12x12, 3 classes). */
class WiperDefenseTest {

    private static final WiperDefense DEFENSE = new WiperDefense();
    private static EngineModel backdoored;
    private static ImageSet clean;

    @BeforeAll
    static void train_a_tiny_backdoored_model() {
        backdoored = TinyModels.backdooredCnn(5, true);
        clean = TinyData.quadrants(6, 48, TinyModels.SIZE, TinyModels.CLASSES);
    }

    @Test
    void declares_labeled_clean_data_of_five_percent() {
        assertEquals(DataContract.labeledClean(0.05), DEFENSE.dataContract());
        assertEquals("wiper", DEFENSE.id());
    }

    @Test
    void fine_tunes_every_parameter_records_curves_and_summary_and_keeps_clean_accuracy() {
        RecordingRunContext ctx = RecordingRunContext.withProbe(9, m -> Map.of("C-ACC", Evaluator.accuracy(m, clean)));

        DefenseResult result = DEFENSE.purify(backdoored, new DefenseData(clean, null, "tiny"),
                WiperParams.DESCRIPTOR.resolve(Map.of("epochs", 3, "batchSize", 16)), ctx);

        EngineModel purified = (EngineModel) result.purified();
        for (String p : purified.parameterNames()) {
            assertNotEquals(backdoored.array(p), purified.array(p), "every parameter is fine-tuned: " + p);
        }
        assertNotEquals(backdoored.array("bn1/mean"), purified.array("bn1/mean"), "BN running statistics update in TRAIN mode");

        Map<String, Object> s = result.summary();
        assertEquals("reference", s.get("variant"));
        assertEquals("highest-salience", s.get("selection"));
        assertEquals("fc2", s.get("purifyingLayers"));
        assertEquals(16L * 3 + 3, s.get("purifiedElements"));
        assertTrue((double) s.get("cleanAccuracyAfter") >= 0.9, "clean accuracy " + s.get("cleanAccuracyAfter"));
        assertEquals(Evaluator.accuracy(purified, clean), (double) s.get("cleanAccuracyAfter"), 1e-12);

        assertEquals(3, ctx.curve("loss/penalty").size());
        assertEquals(3, ctx.curve("loss/cross-entropy").size());
        assertEquals(4, ctx.curve("clean/accuracy").size(), "epoch 0 plus every epoch");
        assertEquals(4, ctx.curve("test/C-ACC").size(), "the reporting probe runs before and after every epoch");
        assertEquals(4, ctx.probeCalls());
        assertArrayEquals(new double[]{0.5 + 0.5 / 3, 0.5 + 1.0 / 3, 1.0}, ctx.ys("selection/fraction"), 1e-12);
    }

    @Test
    void a_strong_corrected_penalty_shrinks_the_purifying_layer() throws Exception {
        DefenseResult r = DEFENSE.purify(backdoored, new DefenseData(clean, null, "tiny"),
                WiperParams.DESCRIPTOR.resolve(Map.of("epochs", 1, "batchSize", 16, "variant", "corrected",
                        "alpha", 1.0)), RecordingRunContext.seeded(3));
        double l1Before = (double) r.summary().get("purifyingL1Before");
        double l1After = (double) r.summary().get("purifyingL1After");
        assertTrue(l1After < 0.9 * l1Before, "L1 " + l1Before + " -> " + l1After);
    }

    @Test
    void refuses_data_with_another_number_of_classes() {
        ImageSet twoClasses = new ImageSet(clean.images(), new int[clean.size()], List.of("a", "b"));
        var e = assertThrows(InvalidInputException.class, () -> DEFENSE.purify(backdoored,
                new DefenseData(twoClasses, null, "tiny"), WiperParams.DESCRIPTOR.defaults(), RecordingRunContext.seeded(1)));
        assertTrue(e.getMessage().contains("2 classes"), e.getMessage());
    }
}
