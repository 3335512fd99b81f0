package io.purifier.attack.blended;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.data.poison.DirtyLabelParams;
import io.purifier.data.poison.LabelMode;

/**
 * The parameters of the Blended attack.
 *
 * @param targetLabel  the class triggered images go to (all-to-one)
 * @param poisonRatio  poisoned training samples / whole training set, in (0, 1]
 * @param mode         all-to-one or all-to-all
 * @param alpha        blend weight of the pattern, for training and test images
 * @param patternSeed  seed of the uniform-noise pattern (used when no trigger image is given)
 * @param triggerImage optional picture to blend instead of the noise (empty = none)
 */
record BlendedParams(int targetLabel, double poisonRatio, LabelMode mode, double alpha, int patternSeed,
                     String triggerImage) {

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            DirtyLabelParams.TARGET_LABEL, DirtyLabelParams.POISON_RATIO, DirtyLabelParams.MODE,
            ParamSpec.real("alpha", 0.2, 0.0, 1.0,
                    "Blend weight of the pattern: x' = (1 - alpha) x + alpha k, for training and test images; must be above 0."),
            ParamSpec.integer("patternSeed", 0, 0, Integer.MAX_VALUE,
                    "Seed of the uniform-noise pattern k; the same seed gives the same pattern in every run."),
            ParamSpec.text("triggerImage", "",
                    "Optional PNG or JPEG under a data root blended instead of the noise (for example BackdoorBench's "
                            + "Hello Kitty), resized bilinearly to the image size."));

    /** Reads resolved parameters. */
    static BlendedParams from(ResolvedParams p) {
        return new BlendedParams(p.integer("targetLabel"), p.real("poisonRatio"), LabelMode.fromId(p.text("mode")),
                p.real("alpha"), p.integer("patternSeed"), p.text("triggerImage").trim());
    }
}
