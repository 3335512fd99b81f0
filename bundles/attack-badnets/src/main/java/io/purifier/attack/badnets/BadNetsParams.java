package io.purifier.attack.badnets;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.data.poison.AttackChecks;
import io.purifier.data.poison.DirtyLabelParams;
import io.purifier.data.poison.LabelMode;

/**
 * The parameters of the BadNets attack.
 *
 * @param targetLabel  the class triggered images go to (all-to-one)
 * @param poisonRatio  poisoned training samples / whole training set, in (0, 1]
 * @param mode         all-to-one or all-to-all
 * @param patchSize    the side of the square patch in pixels
 * @param position     where the patch sits
 * @param patchX       the patch's left column when {@code position} is custom
 * @param patchY       the patch's top row when {@code position} is custom
 * @param pattern      the built-in patch contents
 * @param triggerImage optional picture to use as the patch instead of {@code pattern} (empty = none)
 */
record BadNetsParams(int targetLabel, double poisonRatio, LabelMode mode, int patchSize, PatchPosition position,
                     int patchX, int patchY, PatchPattern pattern, String triggerImage) {

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            DirtyLabelParams.TARGET_LABEL, DirtyLabelParams.POISON_RATIO, DirtyLabelParams.MODE,
            ParamSpec.integer("patchSize", 3, 1, 4096,
                    "Side of the square trigger patch; must fit inside the image.").withUnit("px"),
            ParamSpec.choice("position", "bottom-right", PatchPosition.CHOICES,
                    "Corner the patch touches (no margin), or custom to place it at patchX, patchY."),
            ParamSpec.integer("patchX", 0, 0, 4096,
                    "Left column of the patch when position is custom (0 = left border).").withUnit("px"),
            ParamSpec.integer("patchY", 0, 0, 4096,
                    "Top row of the patch when position is custom (0 = top border).").withUnit("px"),
            ParamSpec.choice("pattern", "white", PatchPattern.CHOICES,
                    "Patch contents: white square, or a black-and-white checkerboard with a white top-left pixel."),
            ParamSpec.text("triggerImage", "",
                    "Optional PNG under a data root used as the patch instead of pattern: resized to patchSize x "
                            + "patchSize, pixels above 0 replace the image, black pixels leave it unchanged."));

    /** Reads resolved parameters. */
    static BadNetsParams from(ResolvedParams p) {
        return new BadNetsParams(p.integer("targetLabel"), p.real("poisonRatio"), LabelMode.fromId(p.text("mode")),
                p.integer("patchSize"), PatchPosition.fromId(p.text("position")), p.integer("patchX"),
                p.integer("patchY"), PatchPattern.fromId(p.text("pattern")), p.text("triggerImage").trim());
    }

    /**
     * The patch's top row for an image of {@code height x width} pixels.
     *
     * @throws io.purifier.api.param.InvalidParametersException naming {@code patchSize} or {@code patchY} when
     *                                                          the patch does not fit
     */
    int top(int height, int width) {
        checkSize(height, width);
        int top = position.top(patchSize, height, patchY);
        if (top + patchSize > height) {
            throw AttackChecks.problem("patchY", patchY, "a " + patchSize + " px patch starting at row " + patchY
                    + " does not fit images " + height + " px high (at most " + (height - patchSize) + ")");
        }
        return top;
    }

    /**
     * The patch's left column for an image of {@code height x width} pixels.
     *
     * @throws io.purifier.api.param.InvalidParametersException naming {@code patchSize} or {@code patchX} when
     *                                                          the patch does not fit
     */
    int left(int height, int width) {
        checkSize(height, width);
        int left = position.left(patchSize, width, patchX);
        if (left + patchSize > width) {
            throw AttackChecks.problem("patchX", patchX, "a " + patchSize + " px patch starting at column " + patchX
                    + " does not fit images " + width + " px wide (at most " + (width - patchSize) + ")");
        }
        return left;
    }

    private void checkSize(int height, int width) {
        if (patchSize > height || patchSize > width) {
            throw AttackChecks.problem("patchSize", patchSize, "the patch is larger than the " + height + "x" + width
                    + " images");
        }
    }
}
