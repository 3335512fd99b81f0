package io.purifier.defense.nc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostScheduleTest {

    @Test
    void keeps_the_smallest_successful_norm_moves_the_cost_and_stops_when_both_moves_happened_and_progress_stalls() {
        CostSchedule s = new CostSchedule(1e-3, 2.0, 0.98, 2, true, 0.99, 2);
        int[] keeps = new int[1];
        Runnable keep = () -> keeps[0]++;
        assertEquals(CostSchedule.Outcome.CONTINUE, s.epoch(0.99, 10, keep));
        assertEquals(10, s.bestNorm(), 0);
        assertEquals(1, keeps[0]);
        assertEquals(1e-3, s.cost(), 0);
        assertEquals(CostSchedule.Outcome.CONTINUE, s.epoch(0.985, 8, keep));
        assertEquals(8, s.bestNorm(), 0);
        assertEquals(2e-3, s.cost(), 1e-18, "two successes in a row double the cost");
        assertEquals(CostSchedule.Outcome.CONTINUE, s.epoch(0.5, 7, keep));
        assertEquals(8, s.bestNorm(), 0, "a failed epoch is never kept, however small");
        assertEquals(CostSchedule.Outcome.CONTINUE, s.epoch(0.97, 7, keep));
        assertEquals(2e-3 / Math.pow(2, 1.5), s.cost(), 1e-18, "two failures divide by 2^1.5");
        assertEquals(2, keeps[0]);
        // best norm 8 stalled for three epochs (>= 0.99 x 8) and the cost went both ways
        assertEquals(CostSchedule.Outcome.STOP, s.epoch(0.5, 9, keep));
    }

    @Test
    void without_early_stop_it_never_stops_and_a_first_failed_epoch_is_kept_as_a_fallback() {
        CostSchedule s = new CostSchedule(1e-3, 2.0, 0.98, 1, false, 0.99, 1);
        int[] keeps = new int[1];
        for (int e = 0; e < 30; e++) {
            assertEquals(CostSchedule.Outcome.CONTINUE, s.epoch(e % 2 == 0 ? 0.99 : 0.1, 5, () -> keeps[0]++));
        }
        CostSchedule fallback = new CostSchedule(1e-3, 2.0, 0.98, 5, true, 0.99, 25);
        assertFalse(fallback.hasBest());
        fallback.epoch(0.1, 50, () -> keeps[0]++);
        assertTrue(fallback.hasBest());
        assertEquals(Double.POSITIVE_INFINITY, fallback.bestNorm(), 0, "the fallback is not a successful norm");
        fallback.epoch(0.99, 60, () -> keeps[0]++);
        assertEquals(60, fallback.bestNorm(), 0, "the first success replaces the fallback");
    }

    @Test
    void a_zero_cost_that_keeps_succeeding_is_reset_to_the_initial_cost() {
        CostSchedule s = new CostSchedule(0.0, 2.0, 0.98, 2, false, 0.99, 25);
        s.epoch(0.99, 5, () -> { });
        s.epoch(0.99, 4, () -> { });
        assertEquals(0.0, s.cost(), 0, "0 times 2 stays 0; the reset restores the initial 0");
    }
}
