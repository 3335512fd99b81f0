package io.purifier.attack.wanet;

import io.purifier.api.attack.TrainingBatch;
import io.purifier.data.poison.LabelMode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarpingHookTest {

    private static final WarpGrid GRID = WarpGrid.warping(ControlField.random(4, new Random(1)), 8, 8, 0.5, 1.0);

    private static TrainingBatch batch(int size, int channels, int classes) {
        float[] pixels = new float[size * channels * 64];
        Random random = new Random(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        int[] labels = new int[size];
        int[] indices = new int[size];
        for (int i = 0; i < size; i++) {
            labels[i] = i % classes;
            indices[i] = 100 + i;
        }
        return new TrainingBatch(Nd4j.create(pixels, new long[] {size, channels, 8, 8}, 'c'), labels, indices);
    }

    private static float[] image(INDArray images, int i) {
        return images.slice(i).dup('c').data().asFloat();
    }

    @Test
    void warps_and_relabels_the_first_share_and_noise_warps_the_next_keeping_labels() {
        TrainingBatch in = batch(20, 2, 3);
        INDArray before = in.images().dup();
        WarpingHook hook = new WarpingHook(GRID, LabelMode.ALL_TO_ONE, 2, 3, 0.1, 2.0);

        TrainingBatch out = hook.apply(in, new Random(5));

        Random replay = new Random(5);
        assertEquals(20, out.size());
        assertArrayEquals(in.indices(), out.indices());
        for (int i = 0; i < 20; i++) {
            float[] clean = image(in.images(), i);
            float[] expected;
            int expectedLabel = in.labels()[i];
            if (i < 2) {
                expected = GRID.warp(clean, 2);
                expectedLabel = 2;
            } else if (i < 6) {
                expected = GRID.withRandomNoise(replay).warp(clean, 2);
                assertFalse(Arrays.equals(GRID.warp(clean, 2), expected));
            } else {
                expected = clean;
            }
            assertArrayEquals(expected, image(out.images(), i), 0f, "sample " + i);
            assertEquals(expectedLabel, out.labels()[i], "label " + i);
        }
        assertEquals(before, in.images(), "the input batch must not change");
    }

    @Test
    void all_to_all_shifts_the_backdoor_labels_by_one() {
        TrainingBatch in = batch(10, 1, 4);
        TrainingBatch out = new WarpingHook(GRID, LabelMode.ALL_TO_ALL, 0, 4, 0.3, 0.0).apply(in, new Random(1));
        assertArrayEquals(new int[] {1, 2, 3, 3, 0, 1, 2, 3, 0, 1}, out.labels());
        assertArrayEquals(image(in.images(), 3), image(out.images(), 3), 0f);
    }

    @Test
    void counts_follow_backdoorbench_per_batch() {
        Random unused = new Random(0);
        assertEquals(12, WarpingHook.backdoorCount(0.1, 128, unused));
        assertEquals(24, WarpingHook.noiseCount(12, 2.0, 128));
        assertEquals(5, WarpingHook.noiseCount(5, 2.0, 10), "noise samples are cut to the rest of the batch");
        assertEquals(0, WarpingHook.noiseCount(3, 0.0, 10));
    }

    @Test
    void small_batches_get_one_backdoor_sample_at_the_expected_rate() {
        Random random = new Random(7);
        int total = 0;
        for (int trial = 0; trial < 10_000; trial++) {
            int count = WarpingHook.backdoorCount(0.1, 4, random);
            assertTrue(count == 0 || count == 1);
            total += count;
        }
        assertEquals(4000, total, 200);
    }

    @Test
    void a_batch_without_poison_is_returned_as_is() {
        TrainingBatch in = batch(1, 1, 2);
        WarpingHook hook = new WarpingHook(GRID, LabelMode.ALL_TO_ONE, 0, 2, 0.1, 2.0);
        Random random = new Random(11);
        boolean sawClean = false;
        for (int trial = 0; trial < 50 && !sawClean; trial++) {
            TrainingBatch out = hook.apply(in, random);
            if (out == in) {
                sawClean = true;
            }
        }
        assertTrue(sawClean);
    }
}
