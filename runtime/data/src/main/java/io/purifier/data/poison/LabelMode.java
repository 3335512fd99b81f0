package io.purifier.data.poison;

import java.util.List;

/** How the backdoor maps a true label to the label it should produce. */
public enum LabelMode {
    /** Every triggered image goes to the single target label. */
    ALL_TO_ONE("all-to-one"),
    /** A triggered image of class {@code y} goes to {@code (y + 1) mod K}. */
    ALL_TO_ALL("all-to-all");

    /** The choices as they appear in the parameter descriptor, default first. */
    public static final List<String> CHOICES = List.of(ALL_TO_ONE.id, ALL_TO_ALL.id);

    private final String id;

    LabelMode(String id) {
        this.id = id;
    }

    /**
     * The mode for a descriptor choice ({@code all-to-one} or {@code all-to-all}).
     *
     * @throws IllegalArgumentException for any other text
     */
    public static LabelMode fromId(String id) {
        for (LabelMode mode : values()) {
            if (mode.id.equals(id)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown label mode '" + id + "' (expected one of " + CHOICES + ")");
    }

    /** The descriptor form. */
    public String id() {
        return id;
    }

    /** The label a triggered image of true class {@code label} should be classified as. */
    public int backdoorLabel(int label, int targetLabel, int numClasses) {
        return this == ALL_TO_ONE ? targetLabel : (label + 1) % numClasses;
    }

    /**
     * Whether a test image of true class {@code label} belongs in the triggered test set: all-to-one leaves out
     * the target class (the backdoor cannot be told apart from a correct answer there), all-to-all keeps all.
     */
    public boolean triggersTestImage(int label, int targetLabel) {
        return this == ALL_TO_ALL || label != targetLabel;
    }
}
