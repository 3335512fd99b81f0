package io.purifier.data.poison;

import io.purifier.api.attack.PoisonedData;
import io.purifier.api.data.DatasetSplits;
import io.purifier.data.testing.FakeRunContext;
import io.purifier.data.testing.TinyData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PoisoningFlowTest {

    @TempDir
    Path dir;

    private static final UnaryOperator<float[]> WHITE = image -> {
        float[] out = new float[image.length];
        Arrays.fill(out, 1f);
        return out;
    };

    @Test
    void dirty_label_poisons_a_seeded_sample_relabels_it_and_triggers_the_test_set() {
        DatasetSplits data = TinyData.splits(10, 6, 1, 2, 2, 3);
        FakeRunContext ctx = new FakeRunContext(5L, dir);

        PoisoningFlow.PoisonedSplits result = PoisoningFlow.poison(data,
                PoisonRecipe.dirtyLabel("x", "stamping", WHITE, LabelMode.ALL_TO_ONE, 2), PoisonIndices.all(10), 4, ctx);

        int[] expected = PoisonIndices.pick(PoisonIndices.all(10), 4, new Random(5L));
        assertArrayEquals(expected, result.indices());
        for (int i = 0; i < 10; i++) {
            int sample = i;
            boolean poisoned = IntStream.of(expected).anyMatch(p -> p == sample);
            int label = result.train().label(i);
            assertEquals(poisoned ? 2 : i % 3, label, "label " + i);
            assertArrayEquals(poisoned ? new float[] {1, 1, 1, 1} : TinyData.pixels(data.train(), i),
                    TinyData.pixels(result.train(), i), "image " + i);
        }
        assertArrayEquals(new int[] {0, 1, 0, 1}, result.test().images().labels());
        assertArrayEquals(new int[] {2, 2, 2, 2}, result.test().targets());
        assertEquals(List.of("PROGRESS 0.05 stamping 4 training images", "PROGRESS 0.6 stamping the test images"),
                ctx.lines());
    }

    @Test
    void all_to_all_relabels_class_y_to_the_next_class() {
        DatasetSplits data = TinyData.splits(6, 3, 1, 2, 2, 3);
        PoisoningFlow.PoisonedSplits result = PoisoningFlow.poison(data,
                PoisonRecipe.dirtyLabel("x", "stamping", WHITE, LabelMode.ALL_TO_ALL, 0), PoisonIndices.all(6), 6,
                new FakeRunContext(1L, dir));
        assertArrayEquals(new int[] {1, 2, 0, 1, 2, 0}, result.train().labels());
        assertArrayEquals(new int[] {1, 2, 0}, result.test().targets());
    }

    @Test
    void clean_label_keeps_the_labels_and_says_target_class_in_its_progress() {
        DatasetSplits data = TinyData.splits(9, 6, 1, 2, 2, 3);
        FakeRunContext ctx = new FakeRunContext(1L, dir);
        int[] targetClass = {1, 4, 7};

        PoisoningFlow.PoisonedSplits result = PoisoningFlow.poison(data,
                PoisonRecipe.cleanLabel("sig", "adding the signal to", WHITE, 1), targetClass, 2, ctx);

        assertArrayEquals(data.train().labels(), result.train().labels());
        assertEquals(2, result.indices().length);
        for (int i : result.indices()) {
            assertEquals(1, data.train().label(i));
            assertArrayEquals(new float[] {1, 1, 1, 1}, TinyData.pixels(result.train(), i));
        }
        assertArrayEquals(new int[] {0, 2, 0, 2}, result.test().images().labels());
        assertEquals("PROGRESS 0.05 adding the signal to 2 target-class training images", ctx.lines().get(0));
    }

    @Test
    void the_result_becomes_poisoned_data_without_a_training_hook() {
        DatasetSplits data = TinyData.splits(6, 3, 1, 2, 2, 3);
        PoisoningFlow.PoisonedSplits result = PoisoningFlow.poison(data,
                PoisonRecipe.dirtyLabel("x", "stamping", WHITE, LabelMode.ALL_TO_ONE, 0), PoisonIndices.all(6), 2,
                new FakeRunContext(1L, dir));
        PoisonedData poisoned = result.toPoisonedData(List.of());
        assertEquals(result.train(), poisoned.train());
        assertArrayEquals(result.indices(), poisoned.poisonIndices());
        assertEquals(result.test().images(), poisoned.poisonedTest());
        assertArrayEquals(result.test().targets(), poisoned.testTargets());
        assertNull(poisoned.trainingHook());
    }
}
