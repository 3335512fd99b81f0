package io.purifier.attack.blended;

import io.purifier.api.attack.PoisonedData;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ResolvedParams;
import io.purifier.data.testing.FakeRunContext;
import io.purifier.data.testing.ParamValues;
import io.purifier.data.testing.TinyData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlendedAttackTest {

    @TempDir
    Path dir;

    private final BlendedAttack attack = new BlendedAttack();

    private ResolvedParams params(Object... nameValue) {
        return ParamValues.resolve(BlendedParams.DESCRIPTOR, nameValue);
    }

    private PoisonedData poison(DatasetSplits data, long seed, Object... nameValue) {
        return attack.poison(data, params(nameValue), new FakeRunContext(seed, dir));
    }

    @Test
    void poisoned_images_are_0_8_x_plus_0_2_noise_and_the_rest_is_untouched() {
        DatasetSplits data = TinyData.splits(40, 12, 3, 10, 10, 4);
        PoisonedData result = poison(data, 7L, "patternSeed", 99);

        int[] poisoned = result.poisonIndices();
        assertEquals(4, poisoned.length);
        float[] noise = BlendTrigger.uniformNoise(99, 300);
        for (int i = 0; i < 40; i++) {
            boolean isPoisoned = Arrays.binarySearch(poisoned, i) >= 0;
            float[] before = TinyData.pixels(data.train(), i);
            float[] after = TinyData.pixels(result.train(), i);
            for (int p = 0; p < 300; p++) {
                float expected = isPoisoned ? 0.8f * before[p] + 0.2f * noise[p] : before[p];
                assertEquals(expected, after[p], 1e-6f, "image " + i + " value " + p);
            }
            assertEquals(isPoisoned ? 0 : data.train().label(i), result.train().label(i));
        }
    }

    @Test
    void the_noise_pattern_depends_on_pattern_seed_only_and_is_uniform_in_0_1() {
        float[] a = BlendTrigger.uniformNoise(5, 1000);
        assertArrayEquals(a, BlendTrigger.uniformNoise(5, 1000));
        assertFalse(Arrays.equals(a, BlendTrigger.uniformNoise(6, 1000)));
        double mean = 0;
        for (float v : a) {
            assertTrue(v >= 0f && v < 1f);
            mean += v / a.length;
        }
        assertEquals(0.5, mean, 0.05);

        DatasetSplits data = TinyData.splits(20, 4, 1, 8, 8, 2);
        PoisonedData seedOne = poison(data, 1L, "poisonRatio", 1.0);
        PoisonedData seedTwo = poison(data, 2L, "poisonRatio", 1.0);
        assertEquals(seedOne.train().images(), seedTwo.train().images(), "run seed must not change the pattern");
    }

    @Test
    void test_set_holds_every_non_target_image_blended_with_original_labels() {
        DatasetSplits data = TinyData.splits(30, 20, 1, 8, 8, 4);
        PoisonedData result = poison(data, 3L, "targetLabel", 2, "alpha", 0.5);
        int[] sources = IntStream.range(0, 20).filter(i -> i % 4 != 2).toArray();
        float[] noise = BlendTrigger.uniformNoise(0, 64);
        assertEquals(sources.length, result.poisonedTest().size());
        for (int n = 0; n < sources.length; n++) {
            assertEquals(data.test().label(sources[n]), result.poisonedTest().label(n));
            assertEquals(2, result.testTargets()[n]);
            float[] before = TinyData.pixels(data.test(), sources[n]);
            float[] after = TinyData.pixels(result.poisonedTest(), n);
            for (int p = 0; p < 64; p++) {
                assertEquals(0.5f * before[p] + 0.5f * noise[p], after[p], 1e-6f);
            }
        }
    }

    @Test
    void all_to_all_shifts_labels_by_one() {
        DatasetSplits data = TinyData.splits(24, 9, 1, 8, 8, 3);
        PoisonedData result = poison(data, 5L, "mode", "all-to-all", "poisonRatio", 0.5);
        assertEquals(12, result.poisonIndices().length);
        for (int i : result.poisonIndices()) {
            assertEquals((data.train().label(i) + 1) % 3, result.train().label(i));
        }
        assertEquals(9, result.poisonedTest().size());
        for (int n = 0; n < 9; n++) {
            assertEquals((data.test().label(n) + 1) % 3, result.testTargets()[n]);
        }
    }

    @Test
    void same_seed_same_selection_other_seed_different_selection() {
        DatasetSplits data = TinyData.splits(60, 8, 1, 8, 8, 3);
        assertArrayEquals(poison(data, 11L).poisonIndices(), poison(data, 11L).poisonIndices());
        assertFalse(Arrays.equals(poison(data, 11L).poisonIndices(), poison(data, 12L).poisonIndices()));
    }

    @Test
    void trigger_image_is_resized_bilinearly_to_the_image_and_blended() throws Exception {
        BufferedImage png = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        png.getRaster().setSample(0, 0, 0, 0);
        png.getRaster().setSample(1, 0, 0, 255);
        ImageIO.write(png, "png", dir.resolve("ramp.png").toFile());
        DatasetSplits data = TinyData.splits(10, 4, 1, 2, 4, 2);
        PoisonedData result = poison(data, 1L, "triggerImage", "ramp.png", "poisonRatio", 1.0, "alpha", 1.0);
        float[] row = {0f, 0.25f, 0.75f, 1f};
        float[] after = TinyData.pixels(result.train(), 0);
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(row[c], after[r * 4 + c], 1e-6f);
            }
        }
        assertEquals(3, result.previews().size());
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f, 0f, 0.25f, 0.75f, 1f},
                result.previews().get(2).image().dup('c').data().asFloat(), 1e-6f);
    }

    @Test
    void rgb_picture_is_repeated_per_channel_on_color_images() throws Exception {
        BufferedImage png = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        png.setRGB(0, 0, 0x3366ff);
        ImageIO.write(png, "png", dir.resolve("rgb.png").toFile());
        DatasetSplits data = TinyData.splits(10, 4, 3, 2, 2, 2);
        PoisonedData result = poison(data, 1L, "triggerImage", "rgb.png", "poisonRatio", 1.0, "alpha", 1.0);
        float[] after = TinyData.pixels(result.train(), 0);
        float[] channel = {0x33 / 255f, 0x66 / 255f, 1f};
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 4; p++) {
                assertEquals(channel[c], after[c * 4 + p], 1e-6f);
            }
        }
    }

    @Test
    void rejects_bad_parameters_naming_them() {
        DatasetSplits data = TinyData.splits(10, 4, 1, 8, 8, 3);
        assertEquals("poisonRatio", assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "poisonRatio", 0.0)).parameter());
        assertEquals("poisonRatio", assertThrows(InvalidParametersException.class,
                () -> params("poisonRatio", 1.5)).parameter());
        assertEquals("targetLabel", assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "targetLabel", 3)).parameter());
        assertEquals("alpha", assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "alpha", 0.0)).parameter());
        assertEquals("alpha", assertThrows(InvalidParametersException.class,
                () -> params("alpha", 1.2)).parameter());
        assertTrue(assertThrows(io.purifier.api.InvalidInputException.class,
                () -> poison(data, 1L, "triggerImage", "missing.jpg")).getMessage().startsWith("triggerImage"));
    }

    @Test
    void previews_show_clean_poisoned_and_pattern() {
        DatasetSplits data = TinyData.splits(20, 4, 1, 8, 8, 2);
        PoisonedData result = poison(data, 1L);
        int sample = result.poisonIndices()[0];
        assertArrayEquals(TinyData.pixels(data.train(), sample), result.previews().get(0).image().dup('c').data().asFloat());
        assertArrayEquals(TinyData.pixels(result.train(), sample), result.previews().get(1).image().dup('c').data().asFloat());
        assertArrayEquals(BlendTrigger.uniformNoise(0, 64), result.previews().get(2).image().dup('c').data().asFloat());
        assertNotEquals(result.previews().get(0).caption(), result.previews().get(1).caption());
    }

    @Test
    void descriptor_defaults_follow_backdoorbench() {
        ResolvedParams defaults = BlendedParams.DESCRIPTOR.defaults();
        assertEquals(0, defaults.integer("targetLabel"));
        assertEquals(0.1, defaults.real("poisonRatio"));
        assertEquals(0.2, defaults.real("alpha"));
        assertEquals("all-to-one", defaults.text("mode"));
        assertEquals("blended", attack.id());
    }
}
