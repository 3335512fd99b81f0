package io.purifier.engine.run;

import io.purifier.api.model.Model;
import io.purifier.api.run.RunContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records the reporting probe's test metrics of a model as curves {@code <prefix><metric>} at one x, when the
 * context has a probe. Reporting only: the values are returned for logs and summaries of what was shown, never for
 * a decision (the probe sees the test sets).
 */
public final class ProbeCurves {

    private ProbeCurves() {
    }

    /**
     * Evaluates {@code model} with the context's probe, if any, and records every finite value.
     *
     * @param model  the model to evaluate (not modified)
     * @param ctx    the step's context
     * @param prefix curve-name prefix, usually {@code "test/"}
     * @param x      the x of the points (an epoch, a pruning count)
     * @return the recorded values by metric name (empty without a probe)
     */
    public static Map<String, Double> record(Model model, RunContext ctx, String prefix, double x) {
        Map<String, Double> out = new LinkedHashMap<>();
        ctx.reportingProbe().ifPresent(probe -> probe.evaluate(model).forEach((name, value) -> {
            if (value != null && Double.isFinite(value)) {
                ctx.curve(prefix + name, x, value);
                out.put(name, value);
            }
        }));
        return out;
    }
}
