package io.purifier.attack.sig;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoisonIndexSamplerTest {

    @Test
    void picks_distinct_sorted_candidates() {
        int[] candidates = {3, 5, 8, 13, 21, 34};
        int[] picked = PoisonIndexSampler.pick(candidates, 4, new Random(1));
        assertEquals(4, picked.length);
        assertEquals(4, Arrays.stream(picked).distinct().count());
        for (int i = 1; i < picked.length; i++) {
            assertTrue(picked[i - 1] < picked[i]);
        }
        assertTrue(Arrays.stream(picked).allMatch(p -> Arrays.binarySearch(candidates, p) >= 0));
        assertArrayEquals(candidates, PoisonIndexSampler.pick(candidates, 6, new Random(2)));
    }

    @Test
    void every_candidate_is_picked_about_equally_often() {
        int[] counts = new int[10];
        Random random = new Random(42);
        for (int trial = 0; trial < 5000; trial++) {
            for (int i : PoisonIndexSampler.pick(PoisonIndexSampler.all(10), 3, random)) {
                counts[i]++;
            }
        }
        for (int count : counts) {
            assertEquals(1500, count, 100);
        }
    }

    @Test
    void refuses_to_pick_more_than_there_are() {
        assertThrows(IllegalArgumentException.class, () -> PoisonIndexSampler.pick(new int[] {1, 2}, 3, new Random(1)));
    }
}
