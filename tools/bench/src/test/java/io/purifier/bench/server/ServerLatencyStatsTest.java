package io.purifier.bench.server;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerLatencyStatsTest {

    @Test
    void nearest_rank_percentiles_of_one_to_a_hundred_are_the_ranks_themselves() {
        List<Double> samples = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            samples.add((double) i);
        }
        Collections.shuffle(samples, new Random(3));
        ServerLatencyStats s = ServerLatencyStats.of(samples);
        assertEquals(100, s.count());
        assertEquals(50.0, s.p50());
        assertEquals(95.0, s.p95());
        assertEquals(99.0, s.p99());
        assertEquals(100.0, s.max());
        assertEquals(50.5, s.mean(), 1e-12);
    }

    @Test
    void percentiles_of_ten_samples_round_the_rank_up() {
        double[] samples = {7, 3, 9, 1, 10, 4, 2, 8, 6, 5};
        assertEquals(1.0, ServerLatencyStats.percentile(samples, 10));
        assertEquals(2.0, ServerLatencyStats.percentile(samples, 11));
        assertEquals(5.0, ServerLatencyStats.percentile(samples, 50));
        assertEquals(10.0, ServerLatencyStats.percentile(samples, 95));
        assertEquals(10.0, ServerLatencyStats.percentile(samples, 99));
        assertEquals(10.0, ServerLatencyStats.percentile(samples, 100));
        assertEquals(7.0, samples[0], "the caller's array is not sorted in place");
    }

    @Test
    void the_median_of_an_even_count_is_the_lower_middle_sample() {
        assertEquals(2.0, ServerLatencyStats.percentile(new double[]{4, 1, 3, 2}, 50));
        ServerLatencyStats s = ServerLatencyStats.of(List.of(12.5, 0.5));
        assertEquals(0.5, s.p50());
        assertEquals(12.5, s.p99());
        assertEquals(6.5, s.mean(), 1e-12);
    }

    @Test
    void one_sample_is_every_percentile() {
        ServerLatencyStats s = ServerLatencyStats.of(List.of(3.25));
        assertEquals(new ServerLatencyStats(1, 3.25, 3.25, 3.25, 3.25, 3.25), s);
    }

    @Test
    void rejects_no_samples_and_percentiles_outside_zero_to_a_hundred() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ServerLatencyStats.of(List.of()));
        assertTrue(none.getMessage().contains("no latency samples"), none.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> ServerLatencyStats.percentile(new double[]{1}, 0));
        assertEquals("percentile must be in (0, 100], got 0.0", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerLatencyStats.percentile(new double[]{1}, 100.5));
        assertThrows(IllegalArgumentException.class, () -> ServerLatencyStats.percentile(new double[0], 50));
    }
}
