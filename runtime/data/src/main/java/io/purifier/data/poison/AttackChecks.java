package io.purifier.data.poison;

import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamProblem;

import java.util.List;

/** Checks of the parameters every attack shares ({@code targetLabel}, {@code poisonRatio}) against the data. */
public final class AttackChecks {

    private AttackChecks() {
    }

    /**
     * @throws InvalidParametersException naming {@code targetLabel} when it is not one of the {@code numClasses}
     *                                    classes
     */
    public static void checkTargetLabel(int targetLabel, int numClasses) {
        if (targetLabel < 0 || targetLabel >= numClasses) {
            throw problem("targetLabel", targetLabel, "must be below the number of classes, " + numClasses
                    + " (labels 0.." + (numClasses - 1) + ")");
        }
    }

    /**
     * @throws InvalidParametersException naming {@code poisonRatio} when it is not in (0, 1]
     */
    public static void checkPoisonRatio(double poisonRatio) {
        if (!(poisonRatio > 0) || poisonRatio > 1) {
            throw problem("poisonRatio", poisonRatio, "must be greater than 0 and at most 1");
        }
    }

    /**
     * The number of training samples to poison, {@code round(poisonRatio * trainSize)} (ratio = poisoned count /
     * whole training set, as in BackdoorBench; {@code Math.round}, so halves round up).
     *
     * @throws InvalidParametersException naming {@code poisonRatio} when it is not in (0, 1] or poisons nothing
     */
    public static int poisonCount(double poisonRatio, int trainSize) {
        checkPoisonRatio(poisonRatio);
        int count = (int) Math.min(trainSize, Math.round(poisonRatio * trainSize));
        if (count == 0) {
            throw problem("poisonRatio", poisonRatio, "poisons no image of the " + trainSize
                    + " training images; use at least " + (0.5 / trainSize));
        }
        return count;
    }

    /** An exception for one bad parameter: its name, the value given and what is wrong with it. */
    public static InvalidParametersException problem(String parameter, Object value, String message) {
        return new InvalidParametersException(List.of(new ParamProblem(parameter, value, message)));
    }
}
