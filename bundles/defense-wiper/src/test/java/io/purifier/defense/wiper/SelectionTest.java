package io.purifier.defense.wiper;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SelectionTest {

    @Test
    void schedule_grows_from_beta_to_one_over_the_epochs() {
        SelectionSchedule s = new SelectionSchedule(0.5, 10);
        double[] expected = {0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0};
        for (int e = 1; e <= 10; e++) {
            assertEquals(expected[e - 1], s.fraction(e), 1e-15, "epoch " + e);
        }
        assertEquals(1.0, s.fraction(10));
    }

    @Test
    void schedule_counts_truncate_like_the_reference_int_conversion() {
        SelectionSchedule s = new SelectionSchedule(0.5, 10);
        // 10-element bias: int(5.5)=5, int(6.0)=6, int(6.5)=6, ...; 1290-element fc2 (128x10 + 10): int(709.5)=709.
        int[] bias = new int[10];
        for (int e = 1; e <= 10; e++) {
            bias[e - 1] = s.count(e, 10);
        }
        assertArrayEquals(new int[]{5, 6, 6, 7, 7, 8, 8, 9, 9, 10}, bias);
        assertEquals(709, s.count(1, 1290));
        assertEquals(1290, s.count(10, 1290));
        // In double arithmetic (as in Python) 0.7 * 1290 = 902.9999999999999, which int() truncates to 902.
        assertEquals(902, s.count(4, 1290));
    }

    @Test
    void schedule_rejects_bad_arguments() {
        assertThrows(IllegalArgumentException.class, () -> new SelectionSchedule(1.5, 10));
        assertThrows(IllegalArgumentException.class, () -> new SelectionSchedule(0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new SelectionSchedule(0.5, 10).fraction(0));
        assertThrows(IllegalArgumentException.class, () -> new SelectionSchedule(0.5, 10).fraction(11));
    }

    @Test
    void highest_salience_mask_selects_the_k_largest_values() {
        double[] s = {0.3, -0.9, 0.1, 0.7, -0.2};
        assertArrayEquals(new boolean[]{true, false, false, true, false}, SelectionRule.HIGHEST_SALIENCE.select(s, 2));
        assertArrayEquals(new boolean[]{true, false, true, true, true}, SelectionRule.HIGHEST_SALIENCE.select(s, 4));
    }

    @Test
    void lowest_abs_salience_mask_selects_the_k_smallest_magnitudes() {
        double[] s = {0.3, -0.9, 0.1, 0.7, -0.2};
        assertArrayEquals(new boolean[]{false, false, true, false, true}, SelectionRule.LOWEST_ABS_SALIENCE.select(s, 2));
        assertArrayEquals(new boolean[]{true, false, true, true, true}, SelectionRule.LOWEST_ABS_SALIENCE.select(s, 4));
    }

    @Test
    void ties_at_the_threshold_are_all_selected_as_in_the_reference() {
        double[] s = {0.5, 0.5, 0.5, 0.1};
        assertArrayEquals(new boolean[]{true, true, true, false}, SelectionRule.HIGHEST_SALIENCE.select(s, 1));
        double[] zeros = new double[3];
        assertArrayEquals(new boolean[]{true, true, true}, SelectionRule.HIGHEST_SALIENCE.select(zeros, 1));
        assertArrayEquals(new boolean[]{false, true, true}, SelectionRule.LOWEST_ABS_SALIENCE.select(new double[]{-0.4, 0.2, -0.2}, 1));
    }

    @Test
    void k_of_zero_selects_nothing_and_k_beyond_the_size_selects_everything() {
        double[] s = {0.3, -0.9, 0.1};
        assertArrayEquals(new boolean[3], SelectionRule.HIGHEST_SALIENCE.select(s, 0));
        assertArrayEquals(new boolean[]{true, true, true}, SelectionRule.HIGHEST_SALIENCE.select(s, 3));
        assertArrayEquals(new boolean[]{true, true, true}, SelectionRule.LOWEST_ABS_SALIENCE.select(s, 7));
    }
}
