package io.purifier.data.poison;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoisonIndicesTest {

    @Test
    void picks_distinct_sorted_candidates() {
        int[] candidates = {3, 5, 8, 13, 21, 34};
        int[] picked = PoisonIndices.pick(candidates, 4, new Random(1));
        assertEquals(4, picked.length);
        assertEquals(4, Arrays.stream(picked).distinct().count());
        for (int i = 1; i < picked.length; i++) {
            assertTrue(picked[i - 1] < picked[i]);
        }
        assertTrue(Arrays.stream(picked).allMatch(p -> Arrays.binarySearch(candidates, p) >= 0));
        assertArrayEquals(candidates, PoisonIndices.pick(candidates, 6, new Random(2)));
    }

    @Test
    void every_candidate_is_picked_about_equally_often() {
        int[] counts = new int[10];
        Random random = new Random(42);
        for (int trial = 0; trial < 5000; trial++) {
            for (int i : PoisonIndices.pick(PoisonIndices.all(10), 3, random)) {
                counts[i]++;
            }
        }
        for (int count : counts) {
            assertEquals(1500, count, 100);
        }
    }

    @Test
    void refuses_to_pick_more_than_there_are() {
        assertThrows(IllegalArgumentException.class, () -> PoisonIndices.pick(new int[] {1, 2}, 3, new Random(1)));
    }

    @Test
    void all_lists_zero_to_n_minus_one_and_pick_leaves_the_candidates_unchanged() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, PoisonIndices.all(4));
        assertArrayEquals(new int[0], PoisonIndices.all(0));
        int[] candidates = {9, 7, 5, 3};
        PoisonIndices.pick(candidates, 3, new Random(7));
        assertArrayEquals(new int[] {9, 7, 5, 3}, candidates);
    }
}
