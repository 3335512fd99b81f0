package io.purifier.defense.sau;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.TestModels;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.LocalRunContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SAU on a small CNN that learnt the quadrant task and a corner-patch backdoor to class 0.
 */
class SauDefenseTest {

    private static final SauDefense DEFENSE = new SauDefense();
    private static EngineModel backdoored;
    private static ImageSet clean;
    private static ImageSet check;
    private static INDArray triggered;

    @BeforeAll
    static void train_a_backdoored_model() {
        backdoored = TestModels.backdooredQuadrantCnn(41);
        clean = TestModels.quadrants(42, 150, 12, 3);
        check = TestModels.quadrants(43, 90, 12, 3);
        triggered = TestModels.triggeredNonTarget(check, 0);
        assertTrue(TestModels.shareOf(backdoored, triggered, 0) > 0.9, "learnt the backdoor");
    }

    @Test
    void declares_five_percent_clean_labeled_data() {
        assertEquals(DataContract.labeledClean(0.05), DEFENSE.dataContract());
        assertEquals("sau", DEFENSE.id());
    }

    @Test
    void unlearns_shared_adversarial_examples_on_a_copy_round_by_round() {
        LocalRunContext ctx = LocalRunContext.quiet(5).withProbe(m -> Map.of(
                "C-ACC", Evaluator.accuracy(m, check), "ASR", TestModels.shareOf((EngineModel) m, triggered, 0)));
        DefenseResult r = DEFENSE.purify(backdoored, labeled(clean), params(Map.of("epochs", 3, "batchSize", 50,
                "learningRate", 1e-3)), ctx);
        EngineModel purified = (EngineModel) r.purified();
        assertTrue(Evaluator.accuracy(purified, check) > 0.8, "keeps the task");
        assertEquals(3, ctx.curve("loss/shared risk").size());
        assertEquals(4, ctx.curve("test/ASR").size(), "before the first round and after each");
        assertEquals(9L, r.summary().get("unlearningSteps"), "3 batches of 50 x 3 rounds");
        List<double[]> shared = ctx.curve("adversarial/shared rate");
        assertTrue(shared.get(0)[1] > 0.2, "the shared PGD finds shared adversarial examples: " + shared.get(0)[1]);
        assertTrue(shared.get(2)[1] < shared.get(0)[1] / 2, "unlearning them makes them rarer: " + shared.get(2)[1]);
    }

    @Test
    void refuses_missing_data_and_data_that_does_not_fit() {
        InvalidInputException none = assertThrows(InvalidInputException.class, () -> DEFENSE.purify(backdoored,
                new DefenseData(null, null, "none"), params(Map.of()), LocalRunContext.quiet(1)));
        assertTrue(none.getMessage().contains("needs clean labeled images"), none.getMessage());
        ImageSet small = TestModels.quadrants(1, 8, 10, 3);
        InvalidInputException shape = assertThrows(InvalidInputException.class,
                () -> DEFENSE.purify(backdoored, labeled(small), params(Map.of()), LocalRunContext.quiet(1)));
        assertTrue(shape.getMessage().startsWith("sau: the labeled images are 1x10x10"), shape.getMessage());
    }

    private static DefenseData labeled(ImageSet set) {
        return new DefenseData(set, null, set.size() + " clean labeled images");
    }

    private static ResolvedParams params(Map<String, ?> raw) {
        return DEFENSE.parameters().resolve(raw);
    }
}
