package io.purifier.bench.server;

import java.util.Arrays;
import java.util.Collection;

/**
 * Summary statistics of latency samples (milliseconds) with nearest-rank percentiles: the p-th percentile of n
 * sorted samples is the sample at 1-based rank ⌈p/100 · n⌉, so every reported value is a measured one (the median
 * of an even count is the lower middle sample).
 *
 * @param count samples
 * @param p50   median (nearest rank)
 * @param p95   95th percentile
 * @param p99   99th percentile
 * @param max   largest sample
 * @param mean  arithmetic mean
 */
public record ServerLatencyStats(int count, double p50, double p95, double p99, double max, double mean) {

    /** Summarizes {@code samples}; throws when there are none. */
    public static ServerLatencyStats of(Collection<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no latency samples to summarize");
        }
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new ServerLatencyStats(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99),
                sorted[sorted.length - 1], Arrays.stream(sorted).sum() / sorted.length);
    }

    /**
     * The nearest-rank {@code p}-th percentile of {@code samples} (any order), for {@code p} in (0, 100].
     *
     * @throws IllegalArgumentException when there are no samples or {@code p} is out of range
     */
    public static double percentile(double[] samples, double p) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("percentile of no samples");
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return rank(sorted, p);
    }

    private static double rank(double[] sorted, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length - 1e-9);
        return sorted[Math.max(1, rank) - 1];
    }
}
