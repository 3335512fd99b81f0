package io.purifier.defense.nc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Neural Cleanse's detection: the median absolute deviation of the per-class mask norms, the anomaly index of the
 * smallest norm, and the flagged classes — those at or below the median whose deviation exceeds {@code threshold}
 * MADs (2 in the paper: a 95 % chance of an outlier under a normal distribution), smallest norm first. Medians are
 * lower medians (the smaller middle value of an even count), as {@code torch.median} in the reference; the MAD carries
 * the consistency constant 1.4826.
 *
 * @param norms        mask norm per class
 * @param median       their lower median
 * @param mad          1.4826 x the lower median of the absolute deviations
 * @param anomalyIndex {@code |min(norms) - median| / mad}; infinite when the MAD is 0 and the smallest norm deviates
 * @param flagged      the flagged classes, smallest norm first
 */
record OutlierDetection(double[] norms, double median, double mad, double anomalyIndex, List<Integer> flagged) {

    /** The consistency constant of the MAD for normally distributed data. */
    static final double CONSISTENCY = 1.4826;

    /** Runs the detection on the norms. */
    static OutlierDetection of(double[] norms, double threshold) {
        if (norms.length == 0) {
            throw new IllegalArgumentException("no norms to compare");
        }
        double median = lowerMedian(norms);
        double[] deviation = new double[norms.length];
        double min = Double.POSITIVE_INFINITY;
        for (int k = 0; k < norms.length; k++) {
            deviation[k] = Math.abs(norms[k] - median);
            min = Math.min(min, norms[k]);
        }
        double mad = CONSISTENCY * lowerMedian(deviation);
        double anomaly = ratio(Math.abs(min - median), mad);
        List<Integer> flagged = new ArrayList<>();
        for (int k = 0; k < norms.length; k++) {
            if (norms[k] <= median && ratio(Math.abs(norms[k] - median), mad) > threshold) {
                flagged.add(k);
            }
        }
        flagged.sort(Comparator.<Integer>comparingDouble(k -> norms[k]).thenComparingInt(k -> k));
        return new OutlierDetection(norms.clone(), median, mad, anomaly, List.copyOf(flagged));
    }

    /** The smaller middle value of the sorted values. */
    static double lowerMedian(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    private static double ratio(double deviation, double mad) {
        if (mad > 0) {
            return deviation / mad;
        }
        return deviation == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
}
