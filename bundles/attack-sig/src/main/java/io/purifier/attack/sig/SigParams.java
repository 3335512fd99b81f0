package io.purifier.attack.sig;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;

/**
 * The parameters of the SIG attack.
 *
 * @param targetLabel the class whose training images carry the signal, and the backdoor's output
 * @param poisonRatio poisoned training samples / whole training set, in (0, 1], capped at the target class size
 * @param delta       the signal amplitude on the 0..255 pixel scale
 * @param frequency   the number of sine periods across the image width
 */
record SigParams(int targetLabel, double poisonRatio, double delta, double frequency) {

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("targetLabel", 0, 0, 9999,
                    "Class whose training images get the signal (labels stay correct) and that triggered images go to."),
            ParamSpec.real("poisonRatio", 0.1, 0.0, 1.0,
                    "Poisoned samples divided by the whole training set, all taken from the target class; capped at "
                            + "the target class size; must be above 0."),
            ParamSpec.real("delta", 40.0, 0.0, 255.0,
                    "Amplitude of the sinusoid on the 0..255 pixel scale (40 = 40/255 on [0, 1] pixels); must be above 0.")
                    .withUnit("/255"),
            ParamSpec.real("frequency", 6.0, 0.0, 1000.0,
                    "Number of sine periods across the image width (f); must be above 0."));

    /** Reads resolved parameters. */
    static SigParams from(ResolvedParams p) {
        return new SigParams(p.integer("targetLabel"), p.real("poisonRatio"), p.real("delta"), p.real("frequency"));
    }
}
