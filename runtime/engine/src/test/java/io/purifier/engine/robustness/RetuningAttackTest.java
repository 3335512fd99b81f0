package io.purifier.engine.robustness;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.engine.TestModels;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.LocalRunContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retuning attack's set and its effect: a clean model learns a trigger from a few poisoned samples. */
class RetuningAttackTest {

    private static final int SIZE = 12;

    /** Quadrant images with a bright 3x3 corner patch, labelled 0 (the attack's target). */
    private static ImageSet withTrigger(ImageSet clean, int[] which) {
        INDArray images = clean.images().dup();
        int[] labels = clean.labels();
        for (int i : which) {
            for (int r = SIZE - 3; r < SIZE; r++) {
                for (int c = SIZE - 3; c < SIZE; c++) {
                    images.putScalar(new long[]{i, 0, r, c}, 1.0);
                }
            }
            labels[i] = 0;
        }
        return new ImageSet(images, labels, clean.classNames());
    }

    @Test
    void the_set_has_the_asked_share_of_poisoned_samples_and_repeats_with_its_seed() {
        ImageSet clean = TestModels.quadrants(1, 200, SIZE, 3);
        int[] poison = {3, 7, 11, 15, 19, 23, 27, 31, 35, 39};
        ImageSet poisoned = withTrigger(clean, poison);
        RetuneConfig cfg = new RetuneConfig(50, 0.1, 1, 0.01, 0.9, 16);
        ImageSet a = RetuningAttack.retuningSet(poisoned, poison, cfg, new Random(4));
        ImageSet b = RetuningAttack.retuningSet(poisoned, poison, cfg, new Random(4));
        assertEquals(50, a.size());
        assertEquals(a.images(), b.images());
        assertTrue(Arrays.equals(a.labels(), b.labels()));
        int patched = 0;
        for (int i = 0; i < a.size(); i++) {
            patched += a.images().getDouble(i, 0, SIZE - 1, SIZE - 1) == 1.0 && a.images().getDouble(i, 0, SIZE - 3, SIZE - 3) == 1.0 ? 1 : 0;
        }
        assertEquals(5, patched, "round(50 * 0.1) samples carry the trigger");
        var e = assertThrows(InvalidInputException.class, () -> RetuningAttack.retuningSet(poisoned, poison,
                new RetuneConfig(50, 0.5, 1, 0.01, 0.9, 16), new Random(1)));
        assertTrue(e.getMessage().contains("needs 25 poisoned training samples but the attack poisoned 10"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> new RetuneConfig(1, 0.1, 1, 0.01, 0.9, 16));
    }

    @Test
    void retuning_a_clean_model_with_a_few_poisoned_samples_plants_the_trigger_in_a_copy() {
        EngineModel clean = TestModels.trainedQuadrantCnn(7);
        ImageSet train = TestModels.quadrants(8, 300, SIZE, 3);
        int[] poison = new int[60];
        for (int i = 0; i < poison.length; i++) {
            poison[i] = 5 * i;
        }
        ImageSet poisoned = withTrigger(train, poison);
        ImageSet test = TestModels.quadrants(9, 90, SIZE, 3);
        int[] nonTarget = java.util.stream.IntStream.range(0, test.size()).filter(i -> test.label(i) != 0).toArray();
        ImageSet triggered = withTrigger(test.subset(nonTarget), java.util.stream.IntStream.range(0, nonTarget.length).toArray());
        double asrBefore = attackSuccess(clean, triggered);
        INDArray before = clean.array("conv1/W").dup();

        RetuneConfig cfg = new RetuneConfig(200, 0.3, 5, 0.05, 0.9, 20);
        ImageSet set = RetuningAttack.retuningSet(poisoned, poison, cfg, new Random(3));
        EngineModel retuned = RetuningAttack.retune(clean, set, cfg, LocalRunContext.quiet(3));
        double asrAfter = attackSuccess(retuned, triggered);

        assertEquals(before, clean.array("conv1/W"), "the purified model itself is not changed");
        assertTrue(asrBefore < 0.3, "a clean model ignores the patch: ASR " + asrBefore);
        assertTrue(asrAfter > 0.8, "five epochs on 60 poisoned samples plant it: ASR " + asrBefore + " -> " + asrAfter);
    }

    private static double attackSuccess(EngineModel m, ImageSet triggered) {
        int[] pred = Evaluator.predict(m, triggered.images());
        return Arrays.stream(pred).filter(p -> p == 0).count() / (double) pred.length;
    }
}
