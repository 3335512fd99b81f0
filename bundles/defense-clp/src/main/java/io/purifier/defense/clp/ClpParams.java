package io.purifier.defense.clp;

import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamProblem;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;

import java.util.List;

/**
 * The parameters of CLP: BackdoorBench's {@code config/defense/clp/cifar10.yaml} knobs that CLP reads ({@code u},
 * and {@code u_min}, {@code u_max}, {@code u_num} of its threshold sweep). The training knobs of that file (epochs,
 * learning rate, optimiser) are not read by CLP, which trains nothing, and are not parameters here.
 *
 * @param u      the threshold: a channel is pruned when its UCLC exceeds mean + u * std of its layer
 * @param uMin   first threshold of the reporting sweep
 * @param uMax   last threshold of the reporting sweep
 * @param uSteps thresholds in the sweep, evenly spaced from uMin to uMax (0 = no sweep)
 */
record ClpParams(double u, double uMin, double uMax, int uSteps) {

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.real("u", 3.0, 0.0, 100.0,
                    "Threshold: prune the channels whose channel Lipschitz bound exceeds mean + u x std of their layer; "
                            + "smaller prunes more."),
            ParamSpec.real("uMin", 0.0, 0.0, 100.0, "First threshold of the reporting sweep."),
            ParamSpec.real("uMax", 10.0, 0.0, 100.0, "Last threshold of the reporting sweep."),
            ParamSpec.integer("uSteps", 21, 0, 1000,
                    "Thresholds in the sweep from uMin to uMax, each pruned on a copy and reported as curves (pruned "
                            + "channels; test metrics when the run has test data, reporting only); 0 = no sweep.")
                    .withUnit("thresholds"));

    /** Checks what the descriptor cannot: the order of the sweep's ends. */
    ClpParams {
        if (uMin > uMax) {
            throw new InvalidParametersException(List.of(new ParamProblem("uMax", uMax,
                    "must not be below uMin (" + uMin + ")")));
        }
    }

    /** Reads resolved parameters. */
    static ClpParams from(ResolvedParams p) {
        return new ClpParams(p.real("u"), p.real("uMin"), p.real("uMax"), p.integer("uSteps"));
    }

    /** The sweep's thresholds, as {@code numpy.linspace(uMin, uMax, uSteps)}. */
    double[] sweep() {
        double[] out = new double[uSteps];
        for (int i = 0; i < uSteps; i++) {
            out[i] = i == 0 ? uMin : i == uSteps - 1 ? uMax : uMin + (uMax - uMin) * i / (uSteps - 1);
        }
        return out;
    }
}
