package io.purifier.api.metric;

/**
 * A model's predictions on the test data of a pipeline, computed once per step by the host.
 *
 * @param numClasses          number of classes
 * @param cleanLabels         true labels of the clean test set
 * @param cleanPredictions    predicted labels on the clean test set
 * @param poisonedLabels      original true labels of the poisoned test images, or null without an attack
 * @param poisonedTargets     backdoor target label per poisoned test image, or null without an attack
 * @param poisonedPredictions predicted labels on the poisoned test images, or null without an attack
 */
public record Evaluation(int numClasses, int[] cleanLabels, int[] cleanPredictions, int[] poisonedLabels,
                         int[] poisonedTargets, int[] poisonedPredictions) {

    /** Checks that the arrays pair up. */
    public Evaluation {
        if (cleanLabels.length != cleanPredictions.length) {
            throw new IllegalArgumentException(cleanLabels.length + " clean labels but " + cleanPredictions.length + " predictions");
        }
        boolean anyPoisoned = poisonedLabels != null || poisonedTargets != null || poisonedPredictions != null;
        if (anyPoisoned) {
            if (poisonedLabels == null || poisonedTargets == null || poisonedPredictions == null) {
                throw new IllegalArgumentException("poisoned labels, targets and predictions come together");
            }
            if (poisonedLabels.length != poisonedTargets.length || poisonedLabels.length != poisonedPredictions.length) {
                throw new IllegalArgumentException("poisoned arrays differ in length");
            }
        }
    }

    /** Whether the pipeline had an attack, so ASR and RA can be computed. */
    public boolean hasPoisoned() {
        return poisonedPredictions != null;
    }
}
