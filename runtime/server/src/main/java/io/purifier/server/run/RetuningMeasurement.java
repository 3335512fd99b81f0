package io.purifier.server.run;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.metric.Evaluation;
import io.purifier.api.metric.MetricValue;
import io.purifier.api.model.Model;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.robustness.RetuneConfig;
import io.purifier.engine.robustness.RetuningAttack;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Post-purification robustness of a step's model, when the pipeline asks for it ({@code robustness.retune}): fine-tunes
 * a copy of the model with the retuning attack on a retuning set drawn from the attack's poisoned training set, and
 * records the ASR and C-ACC of the copy, on the same test sets as the step's own metrics, as the metrics
 * {@value #P_ASR} and {@value #P_C_ACC}. The retuning set depends only on the pipeline seed, so every step of a run
 * (the model step for reference, then each defense) faces the same retuning attack.
 */
final class RetuningMeasurement {

    /** Metric id of the retuned copy's ASR (its value is named P-ASR). */
    static final String P_ASR = "p-asr";
    /** Metric id of the retuned copy's clean accuracy (its value is named P-C-ACC). */
    static final String P_C_ACC = "p-c-acc";

    /** Mixed into the pipeline seed so the retuning set's draw is independent of the steps' own random choices. */
    private static final long SEED_SALT = 0x5245_5455_4E45L;

    private final RunRecorder recorder;

    RetuningMeasurement(RunRecorder recorder) {
        this.recorder = recorder;
    }

    /**
     * Measures {@code model} for the running step when the pipeline has a retuning attack; does nothing otherwise.
     *
     * @param label what the model is, for the log ("purified model", "undefended model")
     * @throws InvalidInputException when the model is not one of Purifier's engine, or the attack poisoned too few
     *                               samples for the retuning set
     */
    void measure(RunState s, Model model, String label, StepContext ctx) {
        RetuneConfig cfg = s.pipeline.retune();
        if (cfg == null) {
            return;
        }
        if (s.poisoned == null) {
            throw new IllegalStateException("the retuning attack needs the attack's poisoned data, but the run has none");
        }
        if (!(model instanceof EngineModel engineModel)) {
            throw new InvalidInputException("the retuning attack fine-tunes models of Purifier's engine; the "
                    + label + " is a " + model.getClass().getSimpleName());
        }
        ImageSet set = RetuningAttack.retuningSet(s.poisoned.train(), s.poisoned.poisonIndices(), cfg,
                new Random(s.pipeline.seed() ^ SEED_SALT));
        ctx.log(String.format(Locale.ROOT, "retuning attack on the %s: %d images (%d poisoned), %d epochs, SGD lr %s "
                        + "momentum %s, batch %d", label, set.size(), cfg.poisonedCount(), cfg.epochs(),
                cfg.learningRate(), cfg.momentum(), cfg.batchSize()));
        EngineModel retuned = RetuningAttack.retune(engineModel, set, cfg, new RetuneContext(ctx, label));
        Evaluation e = Evaluator.evaluate(retuned, s.data.test(), s.poisoned, s.data.test().numClasses());
        double asr = share(e.poisonedTargets(), e.poisonedPredictions());
        double cleanAccuracy = share(e.cleanLabels(), e.cleanPredictions());
        ctx.log(String.format(Locale.ROOT, "after the retuning attack: P-ASR %.2f %%, P-C-ACC %.2f %%", asr * 100,
                cleanAccuracy * 100));
        recorder.metrics(s.step, P_ASR, List.of(MetricValue.fraction("P-ASR", asr, MetricValue.Direction.LOWER_IS_BETTER)));
        recorder.metrics(s.step, P_C_ACC, List.of(MetricValue.fraction("P-C-ACC", cleanAccuracy,
                MetricValue.Direction.HIGHER_IS_BETTER)));
    }

    /** The share of {@code predicted} equal to {@code expected} (BackdoorBench's ASR and C-ACC formula). */
    static double share(int[] expected, int[] predicted) {
        if (expected.length == 0) {
            throw new IllegalStateException("the retuning attack's evaluation has no test images to count");
        }
        int hits = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == predicted[i]) {
                hits++;
            }
        }
        return hits / (double) expected.length;
    }
}
