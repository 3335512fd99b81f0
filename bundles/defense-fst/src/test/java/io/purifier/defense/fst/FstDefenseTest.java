package io.purifier.defense.fst;

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

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FST on a small CNN that learnt the quadrant task and a corner-patch backdoor to class 0. */
class FstDefenseTest {

    private static final FstDefense DEFENSE = new FstDefense();
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
        assertTrue(Evaluator.accuracy(backdoored, check) > 0.9, "learnt the task");
        assertTrue(TestModels.shareOf(backdoored, triggered, 0) > 0.9, "learnt the backdoor");
    }

    @Test
    void declares_five_percent_clean_labeled_data() {
        assertEquals(DataContract.labeledClean(0.05), DEFENSE.dataContract());
        assertEquals("fst", DEFENSE.id());
    }

    @Test
    void removes_the_toy_backdoor_with_a_fresh_classifier_reporting_every_epoch() {
        LocalRunContext ctx = LocalRunContext.quiet(5).withProbe(m -> Map.of(
                "C-ACC", Evaluator.accuracy(m, check), "ASR", TestModels.shareOf((EngineModel) m, triggered, 0)));
        DefenseResult r = DEFENSE.purify(backdoored, labeled(clean), params(Map.of("epochs", 8, "batchSize", 32)), ctx);
        EngineModel purified = (EngineModel) r.purified();
        assertTrue(Evaluator.accuracy(purified, check) > 0.9, "keeps the task");
        assertTrue(TestModels.shareOf(purified, triggered, 0) < 0.2, "the fresh classifier no longer follows the trigger");
        assertEquals(8, ctx.curve("loss/clean CE").size());
        assertEquals(9, ctx.curve("test/ASR").size(), "before training and after each epoch");
        assertEquals(9, ctx.curve("classifier/cosine to original").size(), "after the re-initialisation and each epoch");
        assertEquals(40L, r.summary().get("steps"), "5 batches of 32 (the last has 22) x 8 epochs");
        assertEquals("fc2", r.summary().get("classifier"));
        double norm = backdoored.array("fc2/W").norm2Number().doubleValue();
        assertEquals(norm, purified.array("fc2/W").norm2Number().doubleValue(), 1e-4 * norm, "the classifier keeps its norm");
        assertTrue((Double) r.summary().get("finalCosineToOriginal") < 0.5, "the classifier moved away from the original");
    }

    @Test
    void refuses_missing_data_and_data_that_does_not_fit() {
        InvalidInputException none = assertThrows(InvalidInputException.class, () -> DEFENSE.purify(backdoored,
                new DefenseData(null, null, "none"), params(Map.of()), LocalRunContext.quiet(1)));
        assertTrue(none.getMessage().contains("needs clean labeled images"), none.getMessage());
        ImageSet fourClasses = TestModels.quadrants(1, 8, 12, 4);
        InvalidInputException classes = assertThrows(InvalidInputException.class,
                () -> DEFENSE.purify(backdoored, labeled(fourClasses), params(Map.of()), LocalRunContext.quiet(1)));
        assertEquals("fst: the labeled data has 4 classes but the model has 3", classes.getMessage());
    }

    private static DefenseData labeled(ImageSet set) {
        return new DefenseData(set, null, set.size() + " clean labeled images");
    }

    private static ResolvedParams params(Map<String, ?> raw) {
        return DEFENSE.parameters().resolve(raw);
    }
}
