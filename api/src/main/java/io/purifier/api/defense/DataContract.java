package io.purifier.api.defense;

/**
 * The data a defense needs, declared up front. The host gives a defense exactly this and nothing more.
 *
 * @param kind                   labeled clean data, unlabeled data, or none
 * @param defaultFraction        default fraction of the training set to hand over (e.g. 0.05); 0 for
 *                               {@link Kind#NONE}
 * @param outOfDistributionAllowed whether the data may come from another dataset (resized and channel-converted
 *                               to the model's input); only meaningful for {@link Kind#UNLABELED}
 */
public record DataContract(Kind kind, double defaultFraction, boolean outOfDistributionAllowed) {

    /** The kinds of data a defense can ask for. */
    public enum Kind {
        /** A class-balanced labeled subset of the clean training data. */
        LABELED_CLEAN,
        /** Images only, held out from training, or from another dataset. */
        UNLABELED,
        /** No data (data-free defenses). */
        NONE
    }

    /** Checks the fraction. */
    public DataContract {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (kind == Kind.NONE ? defaultFraction != 0 : !(defaultFraction > 0 && defaultFraction <= 1)) {
            throw new IllegalArgumentException("defaultFraction " + defaultFraction + " does not fit kind " + kind);
        }
    }

    /** Labeled clean data, {@code fraction} of the training set, class-balanced. */
    public static DataContract labeledClean(double fraction) {
        return new DataContract(Kind.LABELED_CLEAN, fraction, false);
    }

    /** Unlabeled data, {@code fraction} of the training set held out, or another dataset if allowed. */
    public static DataContract unlabeled(double fraction, boolean outOfDistributionAllowed) {
        return new DataContract(Kind.UNLABELED, fraction, outOfDistributionAllowed);
    }

    /** No data. */
    public static DataContract none() {
        return new DataContract(Kind.NONE, 0, false);
    }
}
