package io.purifier.defense.fp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PruningOrderTest {

    @Test
    void orders_channels_by_increasing_activation_with_ties_by_index() {
        assertArrayEquals(new int[]{3, 1, 4, 0, 2}, PruningOrder.ascending(new double[]{0.5, 0.1, 0.9, 0.0, 0.1}));
        assertArrayEquals(new int[]{0, 1, 2}, PruningOrder.ascending(new double[]{0, 0, 0}));
    }

    @Test
    void steps_are_the_rounded_up_share_of_the_channels_and_counts_stay_below_the_channel_count() {
        assertEquals(1, PruningOrder.step(64, 0.01));
        assertEquals(6, PruningOrder.step(512, 0.01), "ceil(5.12)");
        assertEquals(1, PruningOrder.step(100, 0.01), "ceil(1.0) is 1 despite 100 * 0.01 = 1.0000000000000002");
        assertEquals(3, PruningOrder.step(10, 0.25), "ceil(2.5)");
        assertArrayEquals(new int[]{0, 3, 6, 9}, PruningOrder.counts(10, 0.25));
        assertArrayEquals(new int[]{0, 1, 2, 3}, PruningOrder.counts(4, 0.01));
        assertArrayEquals(new int[]{0}, PruningOrder.counts(4, 1.0));
    }

    @Test
    void tolerance_is_the_relative_change_of_the_clean_accuracy_in_either_direction() {
        assertTrue(PruningOrder.withinTolerance(0.73, 0.8, 0.1), "|0.73 - 0.8| / 0.8 = 0.0875");
        assertFalse(PruningOrder.withinTolerance(0.71, 0.8, 0.1), "0.1125");
        assertFalse(PruningOrder.withinTolerance(0.89, 0.8, 0.1), "a rise of 0.1125 also stops (BackdoorBench's abs)");
        assertTrue(PruningOrder.withinTolerance(0.8, 0.8, 0.1));
        assertFalse(PruningOrder.withinTolerance(0.8, 0.8, 0.0), "a tolerance of 0 allows nothing");
        assertFalse(PruningOrder.withinTolerance(0.0, 0.0, 0.5), "nothing to keep when the model is never right");
    }

    @Test
    void keep_mask_removes_the_first_channels_of_the_order_and_keeps_earlier_removals() {
        boolean[] earlier = {true, false, true, true};
        assertArrayEquals(new boolean[]{true, false, false, false}, PruningOrder.keepAfter(earlier, new int[]{3, 2, 0, 1}, 2));
        assertArrayEquals(earlier, PruningOrder.keepAfter(earlier, new int[]{3, 2, 0, 1}, 0));
    }
}
