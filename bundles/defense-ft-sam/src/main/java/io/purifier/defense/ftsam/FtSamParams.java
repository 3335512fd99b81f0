package io.purifier.defense.ftsam;

import io.purifier.api.data.Augmentation;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamProblem;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.blocks.SamConfig;

import java.util.List;

/**
 * The parameters of FT-SAM: BackdoorBench's {@code config/defense/ft-sam/cifar10.yaml} and the defaults of
 * {@code defense/ft-sam.py} ({@code --adaptive} is a {@code store_false} flag, so adaptive SAM is on), except the
 * number of epochs (100 there, 20 here: see the README).
 *
 * @param epochs         passes over the clean data
 * @param batchSize      images per SAM step
 * @param learningRate   the base SGD's initial rate
 * @param momentum       SGD momentum
 * @param weightDecay    SGD's L2 weight decay
 * @param schedule       how the rate moves
 * @param cosineSteps    T of the per-step cosine
 * @param rhoMax         SAM radius at the initial rate
 * @param rhoMin         SAM radius at rate 0
 * @param adaptive       ASAM (weight-scaled perturbation)
 * @param alpha          GSAM's decomposition weight (0 = plain SAM)
 * @param labelSmoothing the label-smoothing share
 * @param cropPadding    zero padding of the random crop (0 = none)
 * @param horizontalFlip random horizontal flips
 * @param probeEvery     reporting-probe period in epochs (0 = never)
 */
record FtSamParams(int epochs, int batchSize, double learningRate, double momentum, double weightDecay,
                   StepSchedule.Kind schedule, int cosineSteps, double rhoMax, double rhoMin, boolean adaptive,
                   double alpha, double labelSmoothing, int cropPadding, boolean horizontalFlip, int probeEvery) {

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("epochs", 20, 1, 1000,
                    "Passes over the clean data (BackdoorBench: 100).").withUnit("epochs"),
            ParamSpec.integer("batchSize", 256, 2, 4096, "Images per SAM step.").withUnit("images"),
            ParamSpec.real("learningRate", 0.01, 1e-6, 1.0, "Initial learning rate of the base SGD."),
            ParamSpec.real("momentum", 0.9, 0.0, 0.999, "SGD momentum."),
            ParamSpec.real("weightDecay", 5e-4, 0.0, 0.1, "L2 weight decay added to every gradient."),
            ParamSpec.choice("schedule", "cosine-steps", StepSchedule.Kind.CHOICES,
                    "cosine-steps: cosine over optimisation steps with period 2 x cosineSteps (BackdoorBench steps its "
                            + "scheduler after every batch); cosine-epochs: from the initial rate to 0 over the epochs; "
                            + "constant."),
            ParamSpec.integer("cosineSteps", 100, 1, 1_000_000,
                    "T of the per-step cosine: the rate reaches 0 after this many steps and then rises again "
                            + "(BackdoorBench's CosineAnnealingLR T_max = 100).").withUnit("steps"),
            ParamSpec.real("rhoMax", 2.0, 0.0, 100.0, "SAM radius at the initial learning rate."),
            ParamSpec.real("rhoMin", 2.0, 0.0, 100.0,
                    "SAM radius at learning rate 0; the radius follows the rate linearly between rhoMin and rhoMax."),
            ParamSpec.bool("adaptive", true,
                    "Adaptive SAM (ASAM): the weight perturbation is scaled element-wise by the squared weights."),
            ParamSpec.real("alpha", 0.0, 0.0, 10.0,
                    "GSAM: subtract alpha times the part of the first gradient orthogonal to the perturbed one; 0 = SAM."),
            ParamSpec.real("labelSmoothing", 0.1, 0.0, 0.99,
                    "Share of the target moved from the label to the other classes in the loss."),
            ParamSpec.integer("cropPadding", 4, 0, 16,
                    "Zero padding before the random crop back to size of every training image (BackdoorBench's train "
                            + "transform); 0 disables it.").withUnit("px"),
            ParamSpec.bool("horizontalFlip", false,
                    "Random horizontal flips (BackdoorBench flips for CIFAR-10 only)."),
            ParamSpec.integer("probeEvery", 1, 0, 1000,
                    "Report test C-ACC/ASR/RA curves every this many epochs, before the first and after the last "
                            + "(reporting only, never used for decisions); 0 = never.").withUnit("epochs"));

    /** Checks what the descriptor cannot: the order of the radii. */
    FtSamParams {
        if (rhoMin > rhoMax) {
            throw new InvalidParametersException(List.of(new ParamProblem("rhoMin", rhoMin,
                    "must not be above rhoMax (" + rhoMax + "): the radius follows the learning rate downwards")));
        }
    }

    /** Reads resolved parameters. */
    static FtSamParams from(ResolvedParams p) {
        return new FtSamParams(p.integer("epochs"), p.integer("batchSize"), p.real("learningRate"), p.real("momentum"),
                p.real("weightDecay"), StepSchedule.Kind.fromId(p.text("schedule")), p.integer("cosineSteps"),
                p.real("rhoMax"), p.real("rhoMin"), p.bool("adaptive"), p.real("alpha"), p.real("labelSmoothing"),
                p.integer("cropPadding"), p.bool("horizontalFlip"), p.integer("probeEvery"));
    }

    /** The learning-rate and radius schedule. */
    StepSchedule steps() {
        return new StepSchedule(schedule, learningRate, cosineSteps, epochs, rhoMin, rhoMax);
    }

    /** The SAM settings at radius {@code rho}. */
    SamConfig sam(double rho) {
        return new SamConfig(rho, adaptive, alpha);
    }

    /** The augmentation of the training images. */
    Augmentation augmentation() {
        return new Augmentation(cropPadding, horizontalFlip);
    }

    /** Whether the reporting probe runs after epoch {@code epoch} (1-based; 0 = before training). */
    boolean probesAt(int epoch) {
        return probeEvery > 0 && (epoch == 0 || epoch == epochs || epoch % probeEvery == 0);
    }
}
