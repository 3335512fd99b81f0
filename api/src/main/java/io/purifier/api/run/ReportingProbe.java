package io.purifier.api.run;

import io.purifier.api.model.Model;

import java.util.Map;

/**
 * Evaluates a model on the pipeline's test sets <b>for reporting only</b> (per-epoch curves of test C-ACC and
 * ASR). Defenses must never use its results to make decisions (no model selection on test data).
 */
@FunctionalInterface
@org.osgi.annotation.versioning.ProviderType
public interface ReportingProbe {

    /** Metric name to value, e.g. {@code {"C-ACC": 0.91, "ASR": 0.02}}. */
    Map<String, Double> evaluate(Model model);
}
