package io.purifier.data.poison;

import java.util.function.IntUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * What an attack that poisons a fixed sample of the training set decides, for {@link PoisoningFlow}: its trigger,
 * how labels change, and the words its progress messages use.
 *
 * @param attackId    the attack's id, at the start of warnings
 * @param action      what applying the trigger is called in progress messages, followed by "N training images"
 *                    and "the test images" (for example {@code "stamping the patch on"})
 * @param trigger     maps one image's {@code C*H*W} pixels to new pixels of the same size
 * @param mode        how the backdoor maps labels (the test targets; and the training labels unless clean-label)
 * @param targetLabel the target class
 * @param cleanLabel  whether poisoned training samples keep their labels (the samples are then drawn from the
 *                    target class)
 */
public record PoisonRecipe(String attackId, String action, UnaryOperator<float[]> trigger, LabelMode mode,
                           int targetLabel, boolean cleanLabel) {

    /** A dirty-label recipe: poisoned training samples get {@code mode}'s backdoor label. */
    public static PoisonRecipe dirtyLabel(String attackId, String action, UnaryOperator<float[]> trigger,
                                          LabelMode mode, int targetLabel) {
        return new PoisonRecipe(attackId, action, trigger, mode, targetLabel, false);
    }

    /** A clean-label, all-to-one recipe: poisoned training samples keep their (target-class) labels. */
    public static PoisonRecipe cleanLabel(String attackId, String action, UnaryOperator<float[]> trigger,
                                          int targetLabel) {
        return new PoisonRecipe(attackId, action, trigger, LabelMode.ALL_TO_ONE, targetLabel, true);
    }

    /** The label a poisoned training sample gets, given its original label and the number of classes. */
    public IntUnaryOperator trainingRelabel(int numClasses) {
        return cleanLabel ? label -> label : label -> mode.backdoorLabel(label, targetLabel, numClasses);
    }

    /** The progress message for poisoning {@code count} training images. */
    String trainingStep(int count) {
        return action + " " + count + (cleanLabel ? " target-class" : "") + " training images";
    }

    /** The progress message for triggering the test images. */
    String testStep() {
        return action + " the test images";
    }
}
