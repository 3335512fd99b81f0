package io.purifier.server.run;

import io.purifier.api.attack.PoisonedData;
import io.purifier.api.data.ImageSet;
import io.purifier.api.metric.Evaluation;
import io.purifier.api.run.ReportingProbe;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reporting probe defenses may call per epoch: C-ACC, ASR and RA of a model on the first test images. It is
 * for curves only, never for decisions, and evaluates at most {@value #PROBE_IMAGES} clean and as many poisoned
 * images to stay cheap; the step's metrics always use the full test sets.
 */
final class ReportingProbes {

    /** The probe evaluates at most this many clean and this many poisoned test images (the first ones). */
    static final int PROBE_IMAGES = 2_000;

    private ReportingProbes() {
    }

    /** The probe on the run's test sets as they are now. */
    static ReportingProbe of(RunState s) {
        ImageSet clean = head(s.data.test(), PROBE_IMAGES);
        PoisonedData poisoned = s.poisoned == null ? null : probeSubset(s.poisoned, PROBE_IMAGES);
        int classes = s.data.test().numClasses();
        return model -> {
            Evaluation e = Evaluator.evaluate(model, clean, poisoned, classes);
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("C-ACC", fraction(e.cleanLabels(), e.cleanPredictions()));
            if (e.hasPoisoned()) {
                out.put("ASR", fraction(e.poisonedTargets(), e.poisonedPredictions()));
                out.put("RA", fraction(e.poisonedLabels(), e.poisonedPredictions()));
            }
            return out;
        };
    }

    static ImageSet head(ImageSet set, int max) {
        if (set.size() <= max) {
            return set;
        }
        int[] first = new int[max];
        for (int i = 0; i < max; i++) {
            first[i] = i;
        }
        return set.subset(first);
    }

    private static PoisonedData probeSubset(PoisonedData p, int max) {
        if (p.poisonedTest().size() <= max) {
            return p;
        }
        return new PoisonedData(p.train(), p.poisonIndices(), head(p.poisonedTest(), max),
                Arrays.copyOf(p.testTargets(), max), p.trainingHook(), p.previews());
    }

    /** The share of positions where {@code predicted} equals {@code expected}; 0 for no images. */
    static double fraction(int[] expected, int[] predicted) {
        if (expected.length == 0) {
            return 0;
        }
        int hits = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == predicted[i]) {
                hits++;
            }
        }
        return (double) hits / expected.length;
    }
}
