package io.purifier.defense.ftsam;

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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FT-SAM on a small CNN that learnt the quadrant task and a corner-patch backdoor to class 0. (The 12x12 images are
 * fine-tuned without the random crop: a 4-pixel shift moves a quadrant's square into the next quadrant.)
 */
class FtSamDefenseTest {

    private static final FtSamDefense DEFENSE = new FtSamDefense();
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
        assertEquals("ft-sam", DEFENSE.id());
    }

    @Test
    void fine_tunes_a_copy_with_sam_steps_reporting_every_epoch() {
        LocalRunContext ctx = LocalRunContext.quiet(5).withProbe(m -> Map.of(
                "C-ACC", Evaluator.accuracy(m, check), "ASR", TestModels.shareOf((EngineModel) m, triggered, 0)));
        DefenseResult r = DEFENSE.purify(backdoored, labeled(clean), params(Map.of("epochs", 8, "batchSize", 32,
                "cropPadding", 0)), ctx);
        EngineModel purified = (EngineModel) r.purified();
        assertTrue(Evaluator.accuracy(purified, check) > 0.9, "keeps the task");
        assertEquals(8, ctx.curve("loss/train").size());
        assertEquals(9, ctx.curve("test/ASR").size(), "before training and after each epoch");
        assertEquals(2.0, ctx.curve("schedule/rho").get(7)[1], 0);
        assertEquals(40L, r.summary().get("steps"), "5 batches of 32 (the last has 22) x 8 epochs");
        double lastLr = 0.01 * 0.5 * (1 + Math.cos(Math.PI * 39 / 100));
        assertEquals(lastLr, (Double) r.summary().get("finalLearningRate"), 1e-15);
        assertEquals(lastLr, ctx.curve("schedule/learning rate").get(7)[1], 1e-15);
    }

    @Test
    void the_sharpness_aware_steps_move_the_weights_further_than_plain_fine_tuning() {
        // on this toy the clean loss is near 0, so plain fine-tuning barely moves the backdoored weights (and, as on
        // the small CNN in the issue, leaves the backdoor); the adaptive ascent step and the smoothed targets do move them
        Map<String, Object> common = Map.of("epochs", 3, "batchSize", 32, "cropPadding", 0, "probeEvery", 0);
        Map<String, Object> plain = new HashMap<>(common);
        plain.putAll(Map.of("rhoMax", 0.0, "rhoMin", 0.0, "labelSmoothing", 0.0));
        double sam = distance((EngineModel) DEFENSE.purify(backdoored, labeled(clean), params(common),
                LocalRunContext.quiet(2)).purified());
        double ft = distance((EngineModel) DEFENSE.purify(backdoored, labeled(clean), params(plain),
                LocalRunContext.quiet(2)).purified());
        assertTrue(sam > 3 * ft, "SAM moved the weights by " + sam + ", plain fine-tuning by " + ft);
    }

    private static double distance(EngineModel m) {
        double sq = 0;
        for (String p : m.parameterNames()) {
            sq += Math.pow(m.array(p).castTo(DataType.DOUBLE)
                    .distance2(backdoored.array(p).castTo(DataType.DOUBLE)), 2);
        }
        return Math.sqrt(sq);
    }

    @Test
    void refuses_missing_data_and_data_that_does_not_fit() {
        InvalidInputException none = assertThrows(InvalidInputException.class, () -> DEFENSE.purify(backdoored,
                new DefenseData(null, null, "none"), params(Map.of()), LocalRunContext.quiet(1)));
        assertTrue(none.getMessage().contains("needs clean labeled images"), none.getMessage());
        ImageSet fourClasses = TestModels.quadrants(1, 8, 12, 4);
        InvalidInputException classes = assertThrows(InvalidInputException.class,
                () -> DEFENSE.purify(backdoored, labeled(fourClasses), params(Map.of()), LocalRunContext.quiet(1)));
        assertEquals("ft-sam: the labeled data has 4 classes but the model has 3", classes.getMessage());
    }

    private static DefenseData labeled(ImageSet set) {
        return new DefenseData(set, null, set.size() + " clean labeled images");
    }

    private static ResolvedParams params(Map<String, ?> raw) {
        return DEFENSE.parameters().resolve(raw);
    }
}
