package io.purifier.metric.core;

import io.purifier.api.metric.Evaluation;

import java.util.OptionalDouble;

/**
 * The metric formulas of BackdoorBench ({@code utils/metric.py}), as pure functions on predicted labels. Fractions
 * are in [0, 1]. Where a value is undefined (no images to count, no attack, no baseline) the result is empty,
 * never NaN.
 *
 * <ul>
 *   <li>C-ACC = #{clean test images predicted as their label} / #{clean test images}</li>
 *   <li>ASR = #{poisoned test images predicted as their backdoor target} / #{poisoned test images}</li>
 *   <li>RA = #{poisoned test images predicted as their original label} / #{poisoned test images}</li>
 *   <li>DER = [max(0, ASR_bd − ASR_def) − max(0, ACC_bd − ACC_def) + 1] / 2</li>
 *   <li>RIR = [max(0, RA_def − RA_bd) − max(0, ACC_bd − ACC_def) + 1] / 2</li>
 * </ul>
 * where "bd" is the baseline (the backdoored model before any defense) and "def" the model being evaluated.
 */
public final class BackdoorMetrics {

    private BackdoorMetrics() {
    }

    /** The fraction of {@code predictions} equal to {@code expected}; empty for no images. */
    public static OptionalDouble agreement(int[] expected, int[] predictions) {
        if (expected.length != predictions.length) {
            throw new IllegalArgumentException(expected.length + " labels but " + predictions.length + " predictions");
        }
        if (expected.length == 0) {
            return OptionalDouble.empty();
        }
        int hits = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == predictions[i]) {
                hits++;
            }
        }
        return OptionalDouble.of(hits / (double) expected.length);
    }

    /** C-ACC: accuracy on the clean test set; empty when it is empty. */
    public static OptionalDouble cleanAccuracy(Evaluation e) {
        return agreement(e.cleanLabels(), e.cleanPredictions());
    }

    /** ASR: share of poisoned test images predicted as their target; empty without poisoned images. */
    public static OptionalDouble attackSuccessRate(Evaluation e) {
        return e.hasPoisoned() ? agreement(e.poisonedTargets(), e.poisonedPredictions()) : OptionalDouble.empty();
    }

    /** RA: share of poisoned test images predicted as their original label; empty without poisoned images. */
    public static OptionalDouble robustAccuracy(Evaluation e) {
        return e.hasPoisoned() ? agreement(e.poisonedLabels(), e.poisonedPredictions()) : OptionalDouble.empty();
    }

    /** DER from the four numbers: {@code [max(0, asrBd − asrDef) − max(0, accBd − accDef) + 1] / 2}. */
    public static double defenseEffectivenessRate(double asrBaseline, double asrDefended, double accBaseline, double accDefended) {
        return (Math.max(0, asrBaseline - asrDefended) - Math.max(0, accBaseline - accDefended) + 1) / 2;
    }

    /** RIR from the four numbers: {@code [max(0, raDef − raBd) − max(0, accBd − accDef) + 1] / 2}. */
    public static double robustImprovementRate(double raBaseline, double raDefended, double accBaseline, double accDefended) {
        return (Math.max(0, raDefended - raBaseline) - Math.max(0, accBaseline - accDefended) + 1) / 2;
    }

    /** DER of {@code current} against {@code baseline}; empty when either lacks clean or poisoned predictions. */
    public static OptionalDouble defenseEffectivenessRate(Evaluation baseline, Evaluation current) {
        if (baseline == null) {
            return OptionalDouble.empty();
        }
        OptionalDouble asrBd = attackSuccessRate(baseline);
        OptionalDouble asrDef = attackSuccessRate(current);
        OptionalDouble accBd = cleanAccuracy(baseline);
        OptionalDouble accDef = cleanAccuracy(current);
        if (asrBd.isEmpty() || asrDef.isEmpty() || accBd.isEmpty() || accDef.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(defenseEffectivenessRate(asrBd.getAsDouble(), asrDef.getAsDouble(),
                accBd.getAsDouble(), accDef.getAsDouble()));
    }

    /** RIR of {@code current} against {@code baseline}; empty when either lacks clean or poisoned predictions. */
    public static OptionalDouble robustImprovementRate(Evaluation baseline, Evaluation current) {
        if (baseline == null) {
            return OptionalDouble.empty();
        }
        OptionalDouble raBd = robustAccuracy(baseline);
        OptionalDouble raDef = robustAccuracy(current);
        OptionalDouble accBd = cleanAccuracy(baseline);
        OptionalDouble accDef = cleanAccuracy(current);
        if (raBd.isEmpty() || raDef.isEmpty() || accBd.isEmpty() || accDef.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(robustImprovementRate(raBd.getAsDouble(), raDef.getAsDouble(),
                accBd.getAsDouble(), accDef.getAsDouble()));
    }

    /**
     * Accuracy per true class: element c is the share of images of class c predicted as c, or NaN when the class
     * has no images (callers leave those out).
     */
    public static double[] perClassAccuracy(int[] labels, int[] predictions, int numClasses) {
        long[][] confusion = confusionMatrix(labels, predictions, numClasses);
        double[] accuracy = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            long total = 0;
            for (long count : confusion[c]) {
                total += count;
            }
            accuracy[c] = total == 0 ? Double.NaN : confusion[c][c] / (double) total;
        }
        return accuracy;
    }

    /**
     * ASR per source class: element c is the share of the poisoned test images whose original label is c that are
     * predicted as their backdoor target, or NaN when no poisoned image comes from class c (the target class of an
     * all-to-one attack, for one; callers leave those out). Shows which classes resist a trigger.
     *
     * @throws IllegalArgumentException when the arrays differ in length or a label is outside [0, numClasses)
     */
    public static double[] perClassAttackSuccessRate(int[] labels, int[] targets, int[] predictions, int numClasses) {
        if (labels.length != targets.length || labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels, " + targets.length + " targets and "
                    + predictions.length + " predictions");
        }
        long[] total = new long[numClasses];
        long[] hits = new long[numClasses];
        for (int i = 0; i < labels.length; i++) {
            checkClass("label", labels[i], i, numClasses);
            total[labels[i]]++;
            if (predictions[i] == targets[i]) {
                hits[labels[i]]++;
            }
        }
        double[] rate = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            rate[c] = total[c] == 0 ? Double.NaN : hits[c] / (double) total[c];
        }
        return rate;
    }

    /**
     * The confusion matrix: element [t][p] counts the images of true class t predicted as p.
     *
     * @throws IllegalArgumentException when a label or prediction is outside [0, numClasses)
     */
    public static long[][] confusionMatrix(int[] labels, int[] predictions, int numClasses) {
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predictions.length + " predictions");
        }
        long[][] counts = new long[numClasses][numClasses];
        for (int i = 0; i < labels.length; i++) {
            checkClass("label", labels[i], i, numClasses);
            checkClass("prediction", predictions[i], i, numClasses);
            counts[labels[i]][predictions[i]]++;
        }
        return counts;
    }

    private static void checkClass(String what, int value, int index, int numClasses) {
        if (value < 0 || value >= numClasses) {
            throw new IllegalArgumentException(what + " " + value + " of image " + index + " is outside [0, " + numClasses + ")");
        }
    }
}
