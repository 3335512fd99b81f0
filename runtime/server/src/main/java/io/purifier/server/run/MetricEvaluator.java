package io.purifier.server.run;

import io.purifier.api.InvalidInputException;
import io.purifier.api.PluginKind;
import io.purifier.api.metric.Evaluation;
import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricInput;
import io.purifier.api.metric.MetricValue;
import io.purifier.api.model.Model;
import io.purifier.server.osgi.PluginLookup;
import io.purifier.server.pipeline.ValidatedPipeline.Resolved;

import java.util.List;

/**
 * Evaluates a step's model on the full clean and poisoned test sets and reports the pipeline's metrics for it; then,
 * when the pipeline asks for post-purification robustness, the retuning attack's P-ASR and P-C-ACC
 * ({@link RetuningMeasurement}). A metric that produces a non-finite value fails the step.
 */
final class MetricEvaluator {

    private final PluginLookup plugins;
    private final RunRecorder recorder;
    private final RetuningMeasurement retuning;

    MetricEvaluator(PluginLookup plugins, RunRecorder recorder) {
        this.plugins = plugins;
        this.recorder = recorder;
        this.retuning = new RetuningMeasurement(recorder);
    }

    /**
     * Evaluates {@code model} for the running step and reports every metric's values.
     *
     * @param baseline the model step's evaluation, or null when this is the model step
     * @return the evaluation (the model step's becomes the baseline of the defense steps)
     */
    Evaluation evaluate(RunState s, Model model, Evaluation baseline, StepContext ctx) {
        ctx.log("evaluating on " + s.data.test().size() + " clean test images"
                + (s.poisoned == null ? "" : " and " + s.poisoned.poisonedTest().size() + " poisoned test images"));
        Evaluation evaluation = Evaluator.evaluate(model, s.data.test(), s.poisoned, s.data.test().numClasses());
        for (Resolved m : s.pipeline.metrics()) {
            Metric metric = plugins.find(PluginKind.METRIC, m.id(), Metric.class)
                    .orElseThrow(() -> new InvalidInputException("metric '" + m.id() + "' is no longer installed"))
                    .plugin();
            List<MetricValue> values = metric.evaluate(new MetricInput(evaluation, baseline), m.params());
            for (MetricValue v : values) {
                if (!Double.isFinite(v.value())) {
                    throw new IllegalStateException("metric " + m.id() + " produced a non-finite value for " + v.name() + ": " + v.value());
                }
            }
            recorder.metrics(s.step, m.id(), values);
        }
        retuning.measure(s, model, baseline == null ? "undefended model" : "purified model", ctx);
        return evaluation;
    }
}
