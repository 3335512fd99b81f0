package io.purifier.defense.nc;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OutlierDetectionTest {

    @Test
    void flags_the_class_whose_norm_lies_more_than_two_mads_below_the_lower_median() {
        double[] norms = {10, 11, 12, 13, 2, 11.5, 12.5, 10.5, 11, 12};
        OutlierDetection d = OutlierDetection.of(norms, 2.0);
        // sorted: 2 10 10.5 11 11 11.5 12 12 12.5 13 -> lower median 11; deviations sorted 0 0 .5 .5 1 1 1 1.5 2 9 -> 1
        assertEquals(11, d.median(), 0);
        assertEquals(1.4826, d.mad(), 1e-12);
        assertEquals(9 / 1.4826, d.anomalyIndex(), 1e-12);
        assertEquals(List.of(4), d.flagged());
    }

    @Test
    void large_norms_are_never_flagged_and_several_small_ones_come_smallest_first() {
        assertEquals(List.of(), OutlierDetection.of(new double[]{10, 10, 10.5, 11, 40}, 2.0).flagged());
        OutlierDetection two = OutlierDetection.of(new double[]{3, 10, 10.2, 1, 10.4, 9.8, 10.1}, 2.0);
        assertEquals(List.of(3, 0), two.flagged());
    }

    @Test
    void a_zero_mad_makes_any_deviation_infinite() {
        OutlierDetection d = OutlierDetection.of(new double[]{5, 5, 5, 1}, 2.0);
        assertEquals(0, d.mad(), 0);
        assertEquals(Double.POSITIVE_INFINITY, d.anomalyIndex(), 0);
        assertEquals(List.of(3), d.flagged());
        assertEquals(0, OutlierDetection.of(new double[]{5, 5, 5}, 2.0).anomalyIndex(), 0);
    }

    @Test
    void lower_median_takes_the_smaller_middle_value_like_torch_median() {
        assertEquals(2, OutlierDetection.lowerMedian(new double[]{4, 1, 3, 2}), 0);
        assertEquals(3, OutlierDetection.lowerMedian(new double[]{5, 1, 3}), 0);
    }
}
