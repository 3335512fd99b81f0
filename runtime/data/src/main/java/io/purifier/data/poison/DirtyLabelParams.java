package io.purifier.data.poison;

import io.purifier.api.param.ParamSpec;

/**
 * The descriptor entries shared by dirty-label attacks that poison a share of the whole training set (BadNets,
 * Blended): {@code targetLabel}, {@code poisonRatio} and {@code mode}, with BackdoorBench's defaults (0, 0.1,
 * all-to-one). Read them back with {@link io.purifier.api.param.ResolvedParams} and {@link LabelMode#fromId}.
 */
public final class DirtyLabelParams {

    /** Class every triggered image should be classified as, default 0. */
    public static final ParamSpec TARGET_LABEL = ParamSpec.integer("targetLabel", 0, 0, 9999,
            "Class every triggered image should be classified as (all-to-one); must be below the number of classes.");

    /** Poisoned training samples / whole training set, default 0.1. */
    public static final ParamSpec POISON_RATIO = ParamSpec.real("poisonRatio", 0.1, 0.0, 1.0,
            "Poisoned training samples divided by the whole training set; must be above 0. Samples are drawn "
                    + "uniformly from all classes, target class included.");

    /** all-to-one or all-to-all, default all-to-one. */
    public static final ParamSpec MODE = ParamSpec.choice("mode", "all-to-one", LabelMode.CHOICES,
            "all-to-one: triggered images go to targetLabel; all-to-all: class y goes to (y + 1) mod K.");

    private DirtyLabelParams() {
    }
}
