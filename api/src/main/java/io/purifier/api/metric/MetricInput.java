package io.purifier.api.metric;

import java.util.Objects;

/**
 * What a metric sees for one pipeline step.
 *
 * @param current  predictions of the model after this step
 * @param baseline predictions of the model before any defense (the attacked or given model), or null when this
 *                 is the baseline itself; metrics relative to the baseline (DER, RIR) need it
 */
public record MetricInput(Evaluation current, Evaluation baseline) {

    /** Checks the current evaluation. */
    public MetricInput {
        Objects.requireNonNull(current, "current");
    }
}
