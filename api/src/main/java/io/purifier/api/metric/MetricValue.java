package io.purifier.api.metric;

import java.util.Objects;

/**
 * One number a metric produced.
 *
 * @param name      short stable name, e.g. {@code C-ACC}, {@code ASR}, {@code acc[class 3]}
 * @param value     the value; fractions are in [0, 1] (the UI shows them as %)
 * @param direction which way is better
 * @param unit      "fraction", "count", or another unit word
 */
public record MetricValue(String name, double value, Direction direction, String unit) {

    /** Which way a value is better. */
    public enum Direction {
        /** Larger is better (accuracy). */
        HIGHER_IS_BETTER,
        /** Smaller is better (attack success rate). */
        LOWER_IS_BETTER,
        /** Neither (counts, diagnostics). */
        NEUTRAL
    }

    /** Checks the fields. */
    public MetricValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(direction, "direction");
        unit = unit == null ? "" : unit;
    }

    /** A fraction in [0, 1]. */
    public static MetricValue fraction(String name, double value, Direction direction) {
        return new MetricValue(name, value, direction, "fraction");
    }
}
