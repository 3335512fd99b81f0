package io.purifier.api.attack;

import io.purifier.api.data.ImageSet;

import java.util.List;
import java.util.Objects;

/**
 * What an attack produces.
 *
 * @param train          the training set to train the backdoored model on (poisoned images and labels in place)
 * @param poisonIndices  indices into {@code train} of the poisoned samples (empty for purely training-controlled
 *                       attacks)
 * @param poisonedTest   the test images of every class but the target(s), with the trigger applied; labels are
 *                       the images' <b>original</b> true labels (for robust accuracy)
 * @param testTargets    for each poisoned test image, the label the backdoor should produce (for ASR)
 * @param trainingHook   per-batch hook for training-controlled attacks, or null
 * @param previews       pictures for the UI (clean sample, poisoned sample, trigger)
 */
public record PoisonedData(ImageSet train, int[] poisonIndices, ImageSet poisonedTest, int[] testTargets,
                           TrainingHook trainingHook, List<PreviewImage> previews) {

    /** Checks sizes. */
    public PoisonedData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(poisonedTest, "poisonedTest");
        poisonIndices = poisonIndices.clone();
        testTargets = testTargets.clone();
        previews = List.copyOf(previews);
        if (testTargets.length != poisonedTest.size()) {
            throw new IllegalArgumentException(poisonedTest.size() + " poisoned test images but "
                    + testTargets.length + " target labels");
        }
        for (int index : poisonIndices) {
            if (index < 0 || index >= train.size()) {
                throw new IllegalArgumentException("poison index " + index + " outside the training set of " + train.size());
            }
        }
    }

    @Override
    public int[] poisonIndices() {
        return poisonIndices.clone();
    }

    @Override
    public int[] testTargets() {
        return testTargets.clone();
    }
}
