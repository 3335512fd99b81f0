package io.purifier.attack.wanet;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.data.poison.LabelMode;

/**
 * The parameters of the WaNet attack.
 *
 * @param targetLabel the class warped images go to (all-to-one)
 * @param poisonRatio share of every training batch that is warped and relabelled, in (0, 1]
 * @param mode        all-to-one or all-to-all
 * @param k           control grid size
 * @param s           warping strength
 * @param crossRatio  noise-mode samples per backdoor sample
 * @param gridRescale factor applied to the warped grid
 */
record WanetParams(int targetLabel, double poisonRatio, LabelMode mode, int k, double s, double crossRatio,
                   double gridRescale) {

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("targetLabel", 0, 0, 9999,
                    "Class every warped image should be classified as (all-to-one); must be below the number of classes."),
            ParamSpec.real("poisonRatio", 0.1, 0.0, 1.0,
                    "Share of every training batch that is warped and relabelled (rho_a); must be above 0."),
            ParamSpec.choice("mode", "all-to-one", LabelMode.CHOICES,
                    "all-to-one: warped images go to targetLabel; all-to-all: class y goes to (y + 1) mod K."),
            ParamSpec.integer("k", 4, 2, 64,
                    "Size of the random control grid (k x k) that is upsampled into the warping field."),
            ParamSpec.real("s", 0.5, 0.0, 100.0,
                    "Warping strength: the field is scaled by s / image size; 0 means no warp."),
            ParamSpec.real("crossRatio", 2.0, 0.0, 10.0,
                    "Noise-mode samples per backdoor sample in each batch (rho_n = crossRatio x rho_a); they keep their labels."),
            ParamSpec.real("gridRescale", 1.0, 0.1, 2.0,
                    "Factor applied to the warped grid before clamping (1 = none)."));

    /** Reads resolved parameters. */
    static WanetParams from(ResolvedParams p) {
        return new WanetParams(p.integer("targetLabel"), p.real("poisonRatio"), LabelMode.fromId(p.text("mode")),
                p.integer("k"), p.real("s"), p.real("crossRatio"), p.real("gridRescale"));
    }
}
