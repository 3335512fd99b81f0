package io.purifier.attack.badnets;

import io.purifier.api.InvalidInputException;
import io.purifier.api.attack.PoisonedData;
import io.purifier.api.attack.PreviewImage;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BadNetsAttackTest {

    @TempDir
    Path dir;

    private final BadNetsAttack attack = new BadNetsAttack();

    private ResolvedParams params(Object... nameValue) {
        return ParamValues.resolve(BadNetsParams.DESCRIPTOR, nameValue);
    }

    private PoisonedData poison(DatasetSplits data, long seed, Object... nameValue) {
        return attack.poison(data, params(nameValue), new FakeRunContext(seed, dir));
    }

    /** Whether pixel (row, col) lies in the square [top, top+size) x [left, left+size). */
    private static boolean inPatch(int row, int col, int top, int left, int size) {
        return row >= top && row < top + size && col >= left && col < left + size;
    }

    @Test
    void default_patch_whitens_the_bottom_right_3x3_of_poisoned_images_and_relabels_them() {
        DatasetSplits data = TinyData.splits(40, 12, 1, 8, 8, 4);
        PoisonedData result = poison(data, 7L, "poisonRatio", 0.25);

        int[] poisoned = result.poisonIndices();
        assertEquals(10, poisoned.length);
        ImageSet train = result.train();
        for (int i = 0; i < 40; i++) {
            boolean isPoisoned = Arrays.binarySearch(poisoned, i) >= 0;
            float[] before = TinyData.pixels(data.train(), i);
            float[] after = TinyData.pixels(train, i);
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    float expected = isPoisoned && r >= 5 && c >= 5 ? 1f : before[r * 8 + c];
                    assertEquals(expected, after[r * 8 + c], 0f, "image " + i + " pixel " + r + "," + c);
                }
            }
            assertEquals(isPoisoned ? 0 : data.train().label(i), train.label(i), "label of image " + i);
        }
        assertNull(result.trainingHook());
    }

    @Test
    void poison_count_is_the_ratio_of_the_whole_training_set_and_may_include_the_target_class() {
        DatasetSplits data = TinyData.splits(60, 8, 1, 8, 8, 3);
        assertEquals(6, poison(data, 1L).poisonIndices().length);
        assertEquals(60, poison(data, 1L, "poisonRatio", 1.0).poisonIndices().length);
        assertEquals(1, poison(data, 1L, "poisonRatio", 0.01).poisonIndices().length);
        PoisonedData all = poison(data, 1L, "poisonRatio", 1.0, "targetLabel", 2);
        assertTrue(Arrays.stream(all.train().labels()).allMatch(label -> label == 2));
    }

    @Test
    void test_set_holds_every_non_target_image_with_the_trigger_and_its_original_label() {
        DatasetSplits data = TinyData.splits(30, 20, 3, 10, 10, 4);
        PoisonedData result = poison(data, 3L, "targetLabel", 1);

        ImageSet test = result.poisonedTest();
        int[] expectedSources = java.util.stream.IntStream.range(0, 20).filter(i -> i % 4 != 1).toArray();
        assertEquals(expectedSources.length, test.size());
        for (int n = 0; n < expectedSources.length; n++) {
            int source = expectedSources[n];
            assertEquals(data.test().label(source), test.label(n));
            assertEquals(1, result.testTargets()[n]);
            float[] before = TinyData.pixels(data.test(), source);
            float[] after = TinyData.pixels(test, n);
            for (int c = 0; c < 3; c++) {
                for (int r = 0; r < 10; r++) {
                    for (int col = 0; col < 10; col++) {
                        int p = (c * 10 + r) * 10 + col;
                        assertEquals(r >= 7 && col >= 7 ? 1f : before[p], after[p], 0f);
                    }
                }
            }
        }
    }

    @Test
    void all_to_all_shifts_every_label_by_one_and_triggers_every_test_image() {
        DatasetSplits data = TinyData.splits(24, 9, 1, 8, 8, 3);
        PoisonedData result = poison(data, 5L, "mode", "all-to-all", "poisonRatio", 0.5);

        for (int i : result.poisonIndices()) {
            assertEquals((data.train().label(i) + 1) % 3, result.train().label(i));
        }
        assertEquals(9, result.poisonedTest().size());
        for (int n = 0; n < 9; n++) {
            assertEquals(data.test().label(n), result.poisonedTest().label(n));
            assertEquals((data.test().label(n) + 1) % 3, result.testTargets()[n]);
        }
    }

    @Test
    void same_seed_gives_the_same_poisoning_and_another_seed_a_different_one() {
        DatasetSplits data = TinyData.splits(60, 8, 1, 8, 8, 3);
        PoisonedData first = poison(data, 11L);
        PoisonedData again = poison(data, 11L);
        PoisonedData other = poison(data, 12L);
        assertArrayEquals(first.poisonIndices(), again.poisonIndices());
        assertEquals(first.train().images(), again.train().images());
        assertArrayEquals(first.train().labels(), again.train().labels());
        assertFalse(Arrays.equals(first.poisonIndices(), other.poisonIndices()));
    }

    @Test
    void corners_and_custom_position_place_the_patch_where_asked() {
        DatasetSplits data = TinyData.splits(10, 4, 1, 8, 6, 2);
        int[][] expectedTopLeft = {{0, 0}, {0, 4}, {6, 0}, {3, 1}};
        String[] positions = {"top-left", "top-right", "bottom-left", "custom"};
        for (int k = 0; k < positions.length; k++) {
            PoisonedData result = poison(data, 1L, "position", positions[k], "patchSize", 2, "patchX", 1,
                    "patchY", 3, "poisonRatio", 1.0);
            float[] before = TinyData.pixels(data.train(), 0);
            float[] after = TinyData.pixels(result.train(), 0);
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 6; c++) {
                    boolean in = inPatch(r, c, expectedTopLeft[k][0], expectedTopLeft[k][1], 2);
                    assertEquals(in ? 1f : before[r * 6 + c], after[r * 6 + c], 0f, positions[k] + " " + r + "," + c);
                }
            }
        }
    }

    @Test
    void checkerboard_pattern_has_a_white_top_left_pixel_and_alternates() {
        DatasetSplits data = TinyData.splits(10, 4, 2, 8, 8, 2);
        PoisonedData result = poison(data, 1L, "pattern", "checkerboard", "poisonRatio", 1.0, "patchSize", 3);
        float[] after = TinyData.pixels(result.train(), 4);
        for (int c = 0; c < 2; c++) {
            for (int r = 0; r < 3; r++) {
                for (int col = 0; col < 3; col++) {
                    float expected = (r + col) % 2 == 0 ? 1f : 0f;
                    assertEquals(expected, after[(c * 8 + 5 + r) * 8 + 5 + col], 0f);
                }
            }
        }
    }

    @Test
    void trigger_image_replaces_only_its_non_black_pixels() throws Exception {
        BufferedImage png = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        png.getRaster().setSample(0, 0, 0, 255);
        png.getRaster().setSample(1, 0, 0, 0);
        png.getRaster().setSample(0, 1, 0, 0);
        png.getRaster().setSample(1, 1, 0, 51);
        ImageIO.write(png, "png", dir.resolve("trigger.png").toFile());
        DatasetSplits data = TinyData.splits(10, 4, 1, 8, 8, 2);

        PoisonedData result = poison(data, 1L, "triggerImage", "trigger.png", "patchSize", 4, "poisonRatio", 1.0);

        float[] before = TinyData.pixels(data.train(), 3);
        float[] after = TinyData.pixels(result.train(), 3);
        for (int r = 0; r < 8; r++) {
            for (int c = 0; c < 8; c++) {
                float expected = before[r * 8 + c];
                if (r >= 4 && c >= 4) {
                    int pr = (r - 4) / 2;
                    int pc = (c - 4) / 2;
                    if (pr == 0 && pc == 0) {
                        expected = 1f;
                    } else if (pr == 1 && pc == 1) {
                        expected = 0.2f;
                    }
                }
                assertEquals(expected, after[r * 8 + c], 1e-6f, r + "," + c);
            }
        }
    }

    @Test
    void rgb_trigger_image_becomes_luminance_on_gray_images() throws Exception {
        BufferedImage png = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        png.setRGB(0, 0, 0xff0000);
        ImageIO.write(png, "png", dir.resolve("red.png").toFile());
        DatasetSplits data = TinyData.splits(10, 4, 1, 8, 8, 2);
        PoisonedData result = poison(data, 1L, "triggerImage", "red.png", "patchSize", 1, "poisonRatio", 1.0);
        assertEquals(0.299f, TinyData.pixels(result.train(), 0)[63], 1e-6f);
    }

    @Test
    void missing_or_black_trigger_image_is_rejected_naming_the_parameter() throws Exception {
        DatasetSplits data = TinyData.splits(10, 4, 1, 8, 8, 2);
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> poison(data, 1L, "triggerImage", "nothing.png"));
        assertTrue(missing.getMessage().startsWith("triggerImage"), missing.getMessage());
        ImageIO.write(new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("black.png").toFile());
        InvalidParametersException black = assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "triggerImage", "black.png"));
        assertEquals("triggerImage", black.parameter());
    }

    @Test
    void rejects_poison_ratio_outside_zero_to_one() {
        DatasetSplits data = TinyData.splits(10, 4, 1, 8, 8, 2);
        InvalidParametersException zero = assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "poisonRatio", 0.0));
        assertEquals("poisonRatio", zero.parameter());
        InvalidParametersException tooSmall = assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "poisonRatio", 0.01));
        assertEquals("poisonRatio", tooSmall.parameter());
        InvalidParametersException large = assertThrows(InvalidParametersException.class,
                () -> params("poisonRatio", 1.5));
        assertEquals("poisonRatio", large.parameter());
    }

    @Test
    void rejects_target_label_outside_the_classes_naming_the_class_count() {
        DatasetSplits data = TinyData.splits(10, 4, 1, 8, 8, 3);
        InvalidParametersException e = assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "targetLabel", 3));
        assertEquals("targetLabel", e.parameter());
        assertTrue(e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void rejects_trigger_larger_than_image_or_placed_outside_it() {
        DatasetSplits data = TinyData.splits(10, 4, 1, 8, 8, 2);
        assertEquals("patchSize", assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "patchSize", 9)).parameter());
        assertEquals("patchX", assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "position", "custom", "patchX", 6, "patchY", 0)).parameter());
        assertEquals("patchY", assertThrows(InvalidParametersException.class,
                () -> poison(data, 1L, "position", "custom", "patchX", 0, "patchY", 7)).parameter());
    }

    @Test
    void previews_show_a_clean_sample_its_poisoned_version_and_the_trigger() {
        DatasetSplits data = TinyData.splits(20, 4, 3, 8, 8, 2);
        PoisonedData result = poison(data, 1L);
        List<PreviewImage> previews = result.previews();
        assertEquals(3, previews.size());
        int sample = result.poisonIndices()[0];
        float[] clean = TinyData.pixels(data.train(), sample);
        assertArrayEquals(clean, previews.get(0).image().dup('c').data().asFloat());
        assertArrayEquals(TinyData.pixels(result.train(), sample), previews.get(1).image().dup('c').data().asFloat());
        float[] trigger = previews.get(2).image().dup('c').data().asFloat();
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < 8; r++) {
                for (int col = 0; col < 8; col++) {
                    assertEquals(r >= 5 && col >= 5 ? 1f : 0f, trigger[(c * 8 + r) * 8 + col], 0f);
                }
            }
        }
    }

    @Test
    void warns_when_no_test_image_lies_outside_the_target_class() {
        DatasetSplits data = TinyData.splits(10, 1, 1, 8, 8, 2);
        FakeRunContext ctx = new FakeRunContext(1L, dir);
        PoisonedData result = attack.poison(data, params(), ctx);
        assertEquals(0, result.poisonedTest().size());
        assertEquals(1, ctx.warnings().size());
    }

    @Test
    void descriptor_defaults_follow_backdoorbench() {
        ResolvedParams defaults = BadNetsParams.DESCRIPTOR.defaults();
        assertEquals(0, defaults.integer("targetLabel"));
        assertEquals(0.1, defaults.real("poisonRatio"));
        assertEquals("all-to-one", defaults.text("mode"));
        assertEquals(3, defaults.integer("patchSize"));
        assertEquals("bottom-right", defaults.text("position"));
        assertEquals("white", defaults.text("pattern"));
        assertEquals("badnets", attack.id());
    }
}
