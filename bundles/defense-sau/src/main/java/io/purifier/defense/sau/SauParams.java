package io.purifier.defense.sau;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;

/**
 * The parameters of SAU: BackdoorBench's {@code config/defense/sau/cifar10.yaml}, except the number of rounds (100
 * there, called {@code epochs} here so benchmark plans can cap it like other defenses' epochs; default 10, see the
 * README).
 *
 * @param epochs          unlearning rounds over the clean data ({@code n_rounds})
 * @param batchSize       images per batch
 * @param learningRate    rate of the outer optimiser (Adam with AMSGrad), constant
 * @param weightDecay     its L2 weight decay
 * @param normType        the PGD threat model
 * @param triggerNorm     the PGD bound
 * @param advLearningRate PGD step
 * @param pgdInit         PGD start
 * @param advSteps        PGD steps
 * @param beta1           weight of the adversarial term of the attack
 * @param beta2           weight of the sharing term of the attack
 * @param lambda1         weight of the clean cross-entropy
 * @param lambda2         weight of the adversarial cross-entropy (adversarial training; 0 by default)
 * @param lambda3         weight of the shared adversarial risk
 * @param outerSteps      unlearning steps per attacked batch
 * @param trainMode       batch norm in training mode during unlearning steps
 * @param probeEvery      reporting-probe period in rounds (0 = never)
 */
record SauParams(int epochs, int batchSize, double learningRate, double weightDecay, PerturbationNorm normType,
                 double triggerNorm, double advLearningRate, String pgdInit, int advSteps, double beta1, double beta2,
                 double lambda1, double lambda2, double lambda3, int outerSteps, boolean trainMode, int probeEvery) {

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("epochs", 10, 1, 1000,
                    "Unlearning rounds over the clean data, each attacking and unlearning every batch once "
                            + "(BackdoorBench n_rounds: 100).").withUnit("rounds"),
            ParamSpec.integer("batchSize", 256, 2, 4096, "Images per batch.").withUnit("images"),
            ParamSpec.real("learningRate", 1e-4, 1e-7, 1.0,
                    "Rate of the unlearning optimiser (Adam with AMSGrad, as BackdoorBench builds it), constant."),
            ParamSpec.real("weightDecay", 0.0, 0.0, 0.1, "The unlearning optimiser's L2 weight decay."),
            ParamSpec.choice("normType", "L_inf", PerturbationNorm.CHOICES,
                    "Threat model of the shared PGD: an L-infinity box, an L1 or L2 ball, or no projection (Reg)."),
            ParamSpec.real("triggerNorm", 0.2, 0.0, 1000.0,
                    "Bound of the shared PGD's perturbation, in pixel units ([0, 1] images)."),
            ParamSpec.real("advLearningRate", 0.2, 0.0, 100.0, "Step of the shared PGD (sign steps)."),
            ParamSpec.choice("pgdInit", "max", PerturbationNorm.INITS,
                    "Start of the shared PGD: zero, random (uniform in [0, 1), then projected), max (+bound), min (-bound)."),
            ParamSpec.integer("advSteps", 5, 1, 1000, "Steps of the shared PGD.").withUnit("steps"),
            ParamSpec.real("beta1", 0.01, 0.0, 1000.0, "Weight of the adversarial cross-entropy in the attack loss."),
            ParamSpec.real("beta2", 1.0, 0.0, 1000.0,
                    "Weight of the Jensen-Shannon term that makes both models agree in the attack loss."),
            ParamSpec.real("lambda1", 1.0, 0.0, 1000.0, "Weight of the clean cross-entropy in the unlearning loss."),
            ParamSpec.real("lambda2", 0.0, 0.0, 1000.0,
                    "Weight of the cross-entropy on the perturbed images (adversarial training; off by default)."),
            ParamSpec.real("lambda3", 1.0, 0.0, 1000.0, "Weight of the shared adversarial risk in the unlearning loss."),
            ParamSpec.integer("outerSteps", 1, 1, 100, "Unlearning steps per attacked batch.").withUnit("steps"),
            ParamSpec.bool("trainMode", false,
                    "Batch norm in training mode during the unlearning steps (BackdoorBench: fixing it gives higher "
                            + "clean accuracy but also higher ASR)."),
            ParamSpec.integer("probeEvery", 1, 0, 1000,
                    "Report test C-ACC/ASR/RA curves every this many rounds, before the first and after the last "
                            + "(reporting only, never used for decisions); 0 = never.").withUnit("rounds"));

    /** Reads resolved parameters. */
    static SauParams from(ResolvedParams p) {
        return new SauParams(p.integer("epochs"), p.integer("batchSize"), p.real("learningRate"), p.real("weightDecay"),
                PerturbationNorm.fromId(p.text("normType")), p.real("triggerNorm"), p.real("advLearningRate"),
                p.text("pgdInit"), p.integer("advSteps"), p.real("beta1"), p.real("beta2"), p.real("lambda1"),
                p.real("lambda2"), p.real("lambda3"), p.integer("outerSteps"), p.bool("trainMode"),
                p.integer("probeEvery"));
    }

    /** Whether the reporting probe runs after round {@code round} (1-based; 0 = before the first). */
    boolean probesAt(int round) {
        return probeEvery > 0 && (round == 0 || round == epochs || round % probeEvery == 0);
    }
}
