package io.purifier.attack.wanet;

import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamProblem;

import java.util.List;

/** Checks of the parameters every attack shares, against the data they are applied to. */
final class AttackChecks {

    private AttackChecks() {
    }

    /**
     * @throws InvalidParametersException naming {@code targetLabel} when it is not one of the {@code numClasses}
     *                                    classes
     */
    static void checkTargetLabel(int targetLabel, int numClasses) {
        if (targetLabel < 0 || targetLabel >= numClasses) {
            throw problem("targetLabel", targetLabel, "must be below the number of classes, " + numClasses
                    + " (labels 0.." + (numClasses - 1) + ")");
        }
    }

    /**
     * @throws InvalidParametersException naming {@code poisonRatio} when it is not in (0, 1]
     */
    static void checkPoisonRatio(double poisonRatio) {
        if (!(poisonRatio > 0) || poisonRatio > 1) {
            throw problem("poisonRatio", poisonRatio, "must be greater than 0 and at most 1");
        }
    }

    /** An exception for one bad parameter. */
    static InvalidParametersException problem(String parameter, Object value, String message) {
        return new InvalidParametersException(List.of(new ParamProblem(parameter, value, message)));
    }
}
