package io.purifier.defense.ibau;

import io.purifier.api.data.Augmentation;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;

/**
 * The parameters of I-BAU: BackdoorBench's {@code config/defense/i-bau/cifar10.yaml} ({@code n_rounds}, {@code K},
 * {@code lr}, {@code wd}, {@code batch_size}) and the constants of {@code defense/i-bau.py} made knobs (the
 * perturbation's SGD rate 10 and its regularisation 0.001, the fixed-point map's step 0.1, the 1 % of each batch the
 * perturbation is unlearnt on, the original's L2 ball that BackdoorBench leaves out, the train transform).
 *
 * @param rounds                     perturbation-then-unlearning rounds
 * @param fixedPointIterations       K of the hypergradient
 * @param batchSize                  images per batch
 * @param learningRate               rate of the outer optimiser (Adam with AMSGrad)
 * @param weightDecay                the outer optimiser's L2 weight decay
 * @param perturbationLearningRate   SGD rate of the universal perturbation
 * @param perturbationRegularization weight of {@code ||delta||²} in the inner loss
 * @param innerStepSize              step of the fixed-point map {@code delta - eta grad L_in}
 * @param outerPortion               share of each batch the perturbation is added to in the outer loss
 * @param perturbationNormBound      L2 radius the perturbation is scaled into after its search (0 = none)
 * @param cropPadding                zero padding of the random crop (0 = none)
 * @param horizontalFlip             random horizontal flips
 * @param probeEvery                 reporting-probe period in rounds (0 = never)
 */
record IbauParams(int rounds, int fixedPointIterations, int batchSize, double learningRate, double weightDecay,
                  double perturbationLearningRate, double perturbationRegularization, double innerStepSize,
                  double outerPortion, double perturbationNormBound, int cropPadding, boolean horizontalFlip,
                  int probeEvery) {

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("rounds", 5, 1, 1000,
                    "Rounds of perturbation search followed by one unlearning pass over the clean data (n_rounds).")
                    .withUnit("rounds"),
            ParamSpec.integer("fixedPointIterations", 5, 1, 100,
                    "K: fixed-point iterations of the implicit hypergradient.").withUnit("iterations"),
            ParamSpec.integer("batchSize", 256, 2, 4096, "Images per batch.").withUnit("images"),
            ParamSpec.real("learningRate", 1e-4, 1e-7, 1.0,
                    "Rate of the outer optimiser (Adam with AMSGrad, as BackdoorBench builds it), constant."),
            ParamSpec.real("weightDecay", 0.0, 0.0, 0.1, "The outer optimiser's L2 weight decay."),
            ParamSpec.real("perturbationLearningRate", 10.0, 1e-6, 1000.0,
                    "SGD rate of the universal perturbation during its search."),
            ParamSpec.real("perturbationRegularization", 0.001, 0.0, 10.0,
                    "Weight of the squared norm of the perturbation in the inner loss."),
            ParamSpec.real("innerStepSize", 0.1, 1e-6, 10.0,
                    "Step of the fixed-point map delta - step x grad(inner loss) the hypergradient differentiates."),
            ParamSpec.real("outerPortion", 0.01, 0.0, 1.0,
                    "Share of each batch the perturbation is added to in the unlearning loss: int(share x batch size) "
                            + "images as in the reference (2 of 256); 0 unlearns on clean images only."),
            ParamSpec.real("perturbationNormBound", 0.0, 0.0, 1000.0,
                    "L2 radius (normalized input units) the perturbation is scaled into after its search; 0 = none "
                            + "(BackdoorBench; the original I-BAU used 10)."),
            ParamSpec.integer("cropPadding", 4, 0, 16,
                    "Zero padding before the random crop of every clean image (BackdoorBench's train transform); 0 "
                            + "disables it.").withUnit("px"),
            ParamSpec.bool("horizontalFlip", false,
                    "Random horizontal flips (BackdoorBench flips for CIFAR-10 only)."),
            ParamSpec.integer("probeEvery", 1, 0, 1000,
                    "Report test C-ACC/ASR/RA curves every this many rounds, before the first and after the last "
                            + "(reporting only, never used for decisions); 0 = never.").withUnit("rounds"));

    /** Reads resolved parameters. */
    static IbauParams from(ResolvedParams p) {
        return new IbauParams(p.integer("rounds"), p.integer("fixedPointIterations"), p.integer("batchSize"),
                p.real("learningRate"), p.real("weightDecay"), p.real("perturbationLearningRate"),
                p.real("perturbationRegularization"), p.real("innerStepSize"), p.real("outerPortion"),
                p.real("perturbationNormBound"), p.integer("cropPadding"), p.bool("horizontalFlip"),
                p.integer("probeEvery"));
    }

    /** The augmentation of the clean images. */
    Augmentation augmentation() {
        return new Augmentation(cropPadding, horizontalFlip);
    }

    /** Images of a batch of {@code size} the perturbation is added to: Python's {@code int(size * outerPortion)}. */
    int patched(int size) {
        return (int) (size * outerPortion);
    }

    /** Whether the reporting probe runs after round {@code round} (1-based; 0 = before the first). */
    boolean probesAt(int round) {
        return probeEvery > 0 && (round == 0 || round == rounds || round % probeEvery == 0);
    }
}
