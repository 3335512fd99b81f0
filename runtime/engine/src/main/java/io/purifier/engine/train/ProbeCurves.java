package io.purifier.engine.train;

import io.purifier.api.model.Model;
import io.purifier.api.run.RunContext;

/**
 * Records the pipeline's reporting probe (test C-ACC, ASR, RA, ...) as curves {@code test/<metric>}: for reporting
 * only, never for decisions. Does nothing when the run has no probe.
 */
public final class ProbeCurves {

    private ProbeCurves() {
    }

    /**
     * Evaluates {@code model} with the context's probe, if any, and records each finite value at {@code x}.
     *
     * @return whether a probe ran
     */
    public static boolean report(Model model, RunContext ctx, double x) {
        return ctx.reportingProbe().map(probe -> {
            probe.evaluate(model).forEach((name, value) -> {
                if (value != null && Double.isFinite(value)) {
                    ctx.curve("test/" + name, x, value);
                }
            });
            return true;
        }).orElse(false);
    }
}
