package io.purifier.attack.wanet;

import io.purifier.api.InvalidInputException;
import io.purifier.api.attack.PoisonedData;
import io.purifier.api.attack.TrainingBatch;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ResolvedParams;
import io.purifier.data.testing.FakeRunContext;
import io.purifier.data.testing.ParamValues;
import io.purifier.data.testing.TinyData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WanetAttackTest {

    @TempDir
    Path dir;

    private final WanetAttack attack = new WanetAttack();

    private ResolvedParams params(Object... nameValue) {
        return ParamValues.resolve(WanetParams.DESCRIPTOR, nameValue);
    }

    private PoisonedData poison(DatasetSplits data, long seed, Object... nameValue) {
        return attack.poison(data, params(nameValue), new FakeRunContext(seed, dir));
    }

    @Test
    void training_set_stays_clean_and_poisoning_happens_in_the_hook() {
        DatasetSplits data = TinyData.splits(30, 12, 1, 8, 8, 3);
        PoisonedData result = poison(data, 7L);
        assertEquals(0, result.poisonIndices().length);
        assertEquals(data.train().images(), result.train().images());
        assertArrayEquals(data.train().labels(), result.train().labels());
        assertNotNull(result.trainingHook());

        TrainingBatch batch = firstBatch(data, 20);
        TrainingBatch out = result.trainingHook().apply(batch, new Random(1));
        assertArrayEquals(new int[] {0, 0, 2, 0, 1, 2, 0}, Arrays.copyOf(out.labels(), 7),
                "2 relabelled to the target, then 4 noise-mode and the rest with their own labels");
    }

    @Test
    void test_set_is_every_non_target_image_warped_with_the_seeded_grid() {
        DatasetSplits data = TinyData.splits(30, 20, 3, 10, 10, 4);
        PoisonedData result = poison(data, 42L, "targetLabel", 1);

        WarpGrid grid = WarpGrid.warping(ControlField.random(4, new Random(42L)), 10, 10, 0.5, 1.0);
        int[] sources = IntStream.range(0, 20).filter(i -> i % 4 != 1).toArray();
        assertEquals(sources.length, result.poisonedTest().size());
        for (int n = 0; n < sources.length; n++) {
            assertEquals(data.test().label(sources[n]), result.poisonedTest().label(n));
            assertEquals(1, result.testTargets()[n]);
            float[] expected = grid.warp(TinyData.pixels(data.test(), sources[n]), 3);
            assertArrayEquals(expected, TinyData.pixels(result.poisonedTest(), n), 1e-6f);
        }
    }

    @Test
    void zero_strength_leaves_test_images_unchanged() {
        DatasetSplits data = TinyData.splits(10, 8, 1, 8, 8, 2);
        PoisonedData result = poison(data, 3L, "s", 0.0);
        for (int n = 0; n < result.poisonedTest().size(); n++) {
            assertArrayEquals(TinyData.pixels(data.test(), 2 * n + 1), TinyData.pixels(result.poisonedTest(), n), 1e-6f);
        }
    }

    @Test
    void all_to_all_triggers_every_test_image_with_the_next_label() {
        DatasetSplits data = TinyData.splits(10, 9, 1, 8, 8, 3);
        PoisonedData result = poison(data, 3L, "mode", "all-to-all");
        assertEquals(9, result.poisonedTest().size());
        for (int n = 0; n < 9; n++) {
            assertEquals(n % 3, result.poisonedTest().label(n));
            assertEquals((n + 1) % 3, result.testTargets()[n]);
        }
    }

    @Test
    void same_seed_same_warp_other_seed_different_warp() {
        DatasetSplits data = TinyData.splits(10, 8, 1, 8, 8, 2);
        assertEquals(poison(data, 5L).poisonedTest().images(), poison(data, 5L).poisonedTest().images());
        assertNotEquals(poison(data, 5L).poisonedTest().images(), poison(data, 6L).poisonedTest().images());
    }

    @Test
    void rejects_bad_parameters_naming_them() {
        DatasetSplits data = TinyData.splits(10, 4, 1, 8, 8, 3);
        assertEquals("poisonRatio", assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "poisonRatio", 0.0)).parameter());
        assertEquals("poisonRatio", assertThrows(InvalidParametersException.class,
                () -> params("poisonRatio", 1.5)).parameter());
        InvalidParametersException target = assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "targetLabel", 3));
        assertEquals("targetLabel", target.parameter());
        assertTrue(target.getMessage().contains("number of classes, 3"), target.getMessage());
        assertEquals("k", assertThrows(InvalidParametersException.class, () -> params("k", 1)).parameter());
        assertEquals("s", assertThrows(InvalidParametersException.class, () -> params("s", -0.1)).parameter());
        assertEquals("crossRatio", assertThrows(InvalidParametersException.class,
                () -> params("crossRatio", -1)).parameter());
        DatasetSplits tiny = TinyData.splits(4, 2, 1, 1, 8, 2);
        assertThrows(InvalidInputException.class, () -> poison(tiny, 1L));
    }

    @Test
    void warns_when_backdoor_and_noise_shares_exceed_the_batch() {
        DatasetSplits data = TinyData.splits(10, 4, 1, 8, 8, 2);
        FakeRunContext ctx = new FakeRunContext(1L, dir);
        attack.poison(data, params("poisonRatio", 0.5), ctx);
        assertEquals(1, ctx.warnings().size());
    }

    @Test
    void previews_show_clean_warped_and_difference() {
        DatasetSplits data = TinyData.splits(10, 4, 3, 8, 8, 2);
        PoisonedData result = poison(data, 1L);
        assertEquals(3, result.previews().size());
        float[] clean = TinyData.pixels(data.train(), 1);
        assertArrayEquals(clean, result.previews().get(0).image().dup('c').data().asFloat());
        WarpGrid grid = WarpGrid.warping(ControlField.random(4, new Random(1L)), 8, 8, 0.5, 1.0);
        assertArrayEquals(grid.warp(clean, 3), result.previews().get(1).image().dup('c').data().asFloat(), 1e-6f);
        float[] diff = result.previews().get(2).image().dup('c').data().asFloat();
        float min = 1f;
        float max = 0f;
        for (float v : diff) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min == 0f || max == 1f, "amplified to the full range: " + min + ".." + max);
    }

    @Test
    void descriptor_defaults_follow_backdoorbench() {
        ResolvedParams defaults = WanetParams.DESCRIPTOR.defaults();
        assertEquals(0, defaults.integer("targetLabel"));
        assertEquals(0.1, defaults.real("poisonRatio"));
        assertEquals(4, defaults.integer("k"));
        assertEquals(0.5, defaults.real("s"));
        assertEquals(2.0, defaults.real("crossRatio"));
        assertEquals(1.0, defaults.real("gridRescale"));
        assertEquals("wanet", attack.id());
    }

    /** The first {@code size} images of the training split as a batch. */
    private static TrainingBatch firstBatch(DatasetSplits data, int size) {
        return new TrainingBatch(data.train().images().get(NDArrayIndex.interval(0, size)).dup(),
                Arrays.copyOf(data.train().labels(), size), IntStream.range(0, size).toArray());
    }
}
