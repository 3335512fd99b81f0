package io.purifier.attack.sig;

import io.purifier.api.attack.PoisonedData;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ResolvedParams;
import io.purifier.data.testing.FakeRunContext;
import io.purifier.data.testing.ParamValues;
import io.purifier.data.testing.TinyData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigAttackTest {

    @TempDir
    Path dir;

    private final SigAttack attack = new SigAttack();

    private ResolvedParams params(Object... nameValue) {
        return ParamValues.resolve(SigParams.DESCRIPTOR, nameValue);
    }

    private PoisonedData poison(DatasetSplits data, long seed, Object... nameValue) {
        return attack.poison(data, params(nameValue), new FakeRunContext(seed, dir));
    }

    /** v(j) for W = 8, f = 2, delta = 51/255 = 0.2: 0.2 * sin(pi j / 2). */
    private static final float[] V = {0f, 0.2f, 0f, -0.2f, 0f, 0.2f, 0f, -0.2f};

    @Test
    void only_target_class_images_get_the_signal_and_no_label_changes() {
        DatasetSplits data = TinyData.splits(60, 12, 1, 8, 8, 3);
        PoisonedData result = poison(data, 7L, "targetLabel", 1, "delta", 51.0, "frequency", 2.0);

        int[] poisoned = result.poisonIndices();
        assertEquals(6, poisoned.length);
        assertTrue(Arrays.stream(poisoned).allMatch(i -> data.train().label(i) == 1));
        assertArrayEquals(data.train().labels(), result.train().labels());
        for (int i = 0; i < 60; i++) {
            boolean isPoisoned = Arrays.binarySearch(poisoned, i) >= 0;
            float[] before = TinyData.pixels(data.train(), i);
            float[] after = TinyData.pixels(result.train(), i);
            for (int p = 0; p < 64; p++) {
                float expected = isPoisoned ? Math.min(1f, Math.max(0f, before[p] + V[p % 8])) : before[p];
                assertEquals(expected, after[p], 1e-6f, "image " + i + " value " + p);
            }
        }
        assertNullHook(result);
    }

    private static void assertNullHook(PoisonedData result) {
        assertEquals(null, result.trainingHook());
    }

    @Test
    void count_is_capped_at_the_target_class_size_and_reported() {
        DatasetSplits data = TinyData.splits(60, 6, 1, 8, 8, 3);
        FakeRunContext ctx = new FakeRunContext(1L, dir);
        PoisonedData result = attack.poison(data, params("poisonRatio", 0.5), ctx);
        assertEquals(20, result.poisonIndices().length);
        assertArrayEquals(IntStream.range(0, 60).filter(i -> i % 3 == 0).toArray(), result.poisonIndices());
        assertEquals(1, ctx.warnings().size());
        assertTrue(ctx.warnings().get(0).contains("asks for 30"), ctx.warnings().get(0));
        assertEquals(List.of("poison/count@1.0=20.0", "poison/ratio@1.0=" + (20 / 60.0)), ctx.curves());
        assertTrue(ctx.lines().stream().anyMatch(line -> line.contains("poisoned 20 of 60")), ctx.lines().toString());
    }

    @Test
    void test_set_holds_non_target_images_with_the_signal_and_original_labels() {
        DatasetSplits data = TinyData.splits(30, 20, 3, 8, 8, 4);
        PoisonedData result = poison(data, 3L, "targetLabel", 3, "delta", 51.0, "frequency", 2.0);
        int[] sources = IntStream.range(0, 20).filter(i -> i % 4 != 3).toArray();
        assertEquals(sources.length, result.poisonedTest().size());
        for (int n = 0; n < sources.length; n++) {
            assertEquals(data.test().label(sources[n]), result.poisonedTest().label(n));
            assertEquals(3, result.testTargets()[n]);
            float[] before = TinyData.pixels(data.test(), sources[n]);
            float[] after = TinyData.pixels(result.poisonedTest(), n);
            for (int p = 0; p < 3 * 64; p++) {
                assertEquals(Math.min(1f, Math.max(0f, before[p] + V[p % 8])), after[p], 1e-6f);
            }
        }
    }

    @Test
    void same_seed_same_selection_other_seed_different_selection() {
        DatasetSplits data = TinyData.splits(90, 6, 1, 8, 8, 3);
        assertArrayEquals(poison(data, 11L).poisonIndices(), poison(data, 11L).poisonIndices());
        assertEquals(poison(data, 11L).train().images(), poison(data, 11L).train().images());
        assertFalse(Arrays.equals(poison(data, 11L).poisonIndices(), poison(data, 12L).poisonIndices()));
    }

    @Test
    void rejects_bad_parameters_naming_them() {
        DatasetSplits data = TinyData.splits(30, 6, 1, 8, 8, 3);
        assertEquals("poisonRatio", assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "poisonRatio", 0.0)).parameter());
        assertEquals("poisonRatio", assertThrows(InvalidParametersException.class,
                () -> params("poisonRatio", 1.5)).parameter());
        InvalidParametersException target = assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "targetLabel", 3));
        assertEquals("targetLabel", target.parameter());
        assertTrue(target.getMessage().contains("number of classes, 3"), target.getMessage());
        assertEquals("delta", assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "delta", 0.0)).parameter());
        assertEquals("frequency", assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "frequency", 0.0)).parameter());
    }

    @Test
    void rejects_a_target_class_without_training_images() {
        DatasetSplits data = TinyData.splits(2, 6, 1, 8, 8, 3);
        assertEquals("targetLabel", assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "targetLabel", 2, "poisonRatio", 1.0)).parameter());
    }

    @Test
    void previews_show_clean_poisoned_and_signal() {
        DatasetSplits data = TinyData.splits(30, 6, 1, 8, 8, 3);
        PoisonedData result = poison(data, 1L, "delta", 51.0, "frequency", 2.0);
        int sample = result.poisonIndices()[0];
        assertEquals(3, result.previews().size());
        assertArrayEquals(TinyData.pixels(data.train(), sample), result.previews().get(0).image().dup('c').data().asFloat());
        assertArrayEquals(TinyData.pixels(result.train(), sample), result.previews().get(1).image().dup('c').data().asFloat());
        float[] signal = result.previews().get(2).image().dup('c').data().asFloat();
        for (int p = 0; p < 64; p++) {
            assertEquals((V[p % 8] / 0.2f + 1) / 2, signal[p], 1e-6f);
        }
    }

    @Test
    void descriptor_defaults_follow_backdoorbench() {
        ResolvedParams defaults = SigParams.DESCRIPTOR.defaults();
        assertEquals(0, defaults.integer("targetLabel"));
        assertEquals(0.1, defaults.real("poisonRatio"));
        assertEquals(40.0, defaults.real("delta"));
        assertEquals(6.0, defaults.real("frequency"));
        assertEquals("sig", attack.id());
    }
}
