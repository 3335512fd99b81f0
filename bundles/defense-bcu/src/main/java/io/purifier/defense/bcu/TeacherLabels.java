package io.purifier.defense.bcu;

import java.util.Locale;
import java.util.Optional;

/**
 * How the teacher labels the unlabeled images, the student's only supervision. When one class takes most of them
 * the student is pulled towards that class; out-of-distribution images that fall into a backdoor's basin make
 * exactly that happen (measured: a WaNet teacher on upscaled digits produced a student that predicts the target
 * class for every input). BCU cannot tell this from a genuinely skewed source, so it warns and goes on.
 *
 * @param counts the teacher's predictions per class
 * @param total  the number of unlabeled images
 */
record TeacherLabels(long[] counts, long total) {

    /** A warning is given when one class takes more than this share of the teacher's labels. */
    static final double DOMINANT_SHARE = 0.5;

    /** Counts {@code predictions} over {@code numClasses} classes. */
    static TeacherLabels of(int[] predictions, int numClasses) {
        long[] counts = new long[numClasses];
        for (int p : predictions) {
            counts[p]++;
        }
        return new TeacherLabels(counts, predictions.length);
    }

    /** The class the teacher assigns most often (the lowest index on ties). */
    int topClass() {
        int top = 0;
        for (int k = 1; k < counts.length; k++) {
            if (counts[k] > counts[top]) {
                top = k;
            }
        }
        return top;
    }

    /** The share of the images in {@link #topClass()}. */
    double topShare() {
        return total == 0 ? 0 : counts[topClass()] / (double) total;
    }

    /** The per-class shares as a log line, e.g. {@code 0: 0.12, 1: 0.09, ...}. */
    String describe() {
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < counts.length; k++) {
            out.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%d: %.2f", k, counts[k] / (double) Math.max(1, total)));
        }
        return out.toString();
    }

    /** The warning to log when one class dominates, naming it and its share; empty otherwise. */
    Optional<String> warning(String className) {
        if (topShare() <= DOMINANT_SHARE) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "bcu: the teacher assigns %.0f%% of the unlabeled images to class %d "
                        + "('%s'); the student learns the teacher's labels and will lean towards that class. If it is a "
                        + "backdoor target, the unlabeled images fall into the backdoor (out-of-distribution sources can) "
                        + "and the student may collapse onto it; consider held-out images of the model's own dataset",
                100 * topShare(), topClass(), className));
    }
}
