package io.purifier.api.metric;

import io.purifier.api.Plugin;
import io.purifier.api.param.ResolvedParams;

import java.util.List;

/**
 * Computes numbers from predictions. Pure and fast: no model access, no I/O. A metric that cannot be computed
 * for an input (no attack, so no ASR) leaves that value out rather than reporting NaN; a NaN or infinite value
 * fails the step.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface Metric extends Plugin {

    /**
     * @param input  the current (and baseline) predictions
     * @param params resolved parameters
     * @return the values, in display order
     */
    List<MetricValue> evaluate(MetricInput input, ResolvedParams params);
}
