package io.purifier.defense.npd;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;

import java.util.List;

/**
 * The parameters of the Neural Polarizer defense. Defaults follow BackdoorBench's CIFAR-10 configuration
 * ({@code config/defense/npd/cifar10.yaml}), except {@code epochs}, which is lowered for CPUs.
 *
 * @param epochs             main (bi-level) training epochs
 * @param warmupEpochs       warm-up epochs (plain cross-entropy, polarizer batch norm in training mode)
 * @param warmupLearningRate SGD step size of the warm-up (no momentum, no weight decay)
 * @param learningRate       SGD step size of the main training (constant)
 * @param momentum           SGD momentum of the main training
 * @param weightDecay        SGD weight decay (L2 term) of the main training
 * @param batchSize          images per batch
 * @param layer              insertion layer; empty = the architecture's default
 * @param placement          polarize the layer's input (that layer only) or its output (all consumers)
 * @param norm               threat model of the inner attack
 * @param radius             L2 radius at the reference input size 3x32x32
 * @param radiusScaling      how the L2 radius follows the input size
 * @param stepSize           L2 step size
 * @param steps              L2 inner steps
 * @param stepRule           sign steps (CIFAR-10/GTSRB) or plain gradient steps (Tiny-ImageNet)
 * @param linfRadius         L-infinity radius
 * @param linfStepSize       L-infinity step size
 * @param linfSteps          L-infinity inner steps
 * @param linfMaxInit        whether the L-infinity perturbation starts at +radius everywhere
 * @param earlyStopFraction  the attack stops once more than this fraction of the batch hits its target
 * @param lambdas            weights of the four loss terms
 * @param targetEstimate     how the per-sample target is estimated
 * @param trueClassLogit     the value the true class's logit is overwritten with before the target argmax
 * @param lossBound          per-sample attack losses are clamped to [-lossBound, lossBound]
 * @param probeEvery         epochs between test-set reporting evaluations (0 = never)
 * @param divergenceFactor   divergence guard: a batch whose clean cross-entropy exceeds this many times the
 *                           reference diverged (0 = off)
 * @param maxHalvings        divergence guard: how many times the step size may be halved before the run fails
 * @param batchNormStart     how the polarizer's batch norm starts: PyTorch's default or the identity on the data
 */
record NpdParams(int epochs, int warmupEpochs, double warmupLearningRate, double learningRate, double momentum,
                 double weightDecay, int batchSize, String layer, Placement placement, AttackNorm norm, double radius,
                 RadiusScaling radiusScaling, double stepSize, int steps, StepRule stepRule, double linfRadius,
                 double linfStepSize, int linfSteps, boolean linfMaxInit, double earlyStopFraction,
                 LossWeights lambdas, TargetEstimate targetEstimate, double trueClassLogit, double lossBound,
                 int probeEvery, double divergenceFactor, int maxHalvings,
                 BatchNormStart batchNormStart) {

    /** Default main epochs on CPU (the reference runs 50 on GPUs); see the README's "Measured" section. */
    static final int DEFAULT_EPOCHS = 10;

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("epochs", DEFAULT_EPOCHS, 0, 1000,
                    "Main bi-level training epochs over the clean data (BackdoorBench: 50 on GPUs; lower on CPUs).")
                    .withUnit("epochs"),
            ParamSpec.integer("warmupEpochs", 5, 0, 1000,
                    "Warm-up epochs of plain cross-entropy with the polarizer's batch norm in training mode, so its "
                            + "running statistics fit the features (BackdoorBench: 5; 0 for Tiny-ImageNet).")
                    .withUnit("epochs"),
            ParamSpec.real("warmupLearningRate", 1e-4, 0.0, 10.0, "SGD step size of the warm-up (no momentum, no weight decay)."),
            ParamSpec.real("learningRate", 0.01, 0.0, 10.0, "SGD step size of the main training; constant, no schedule."),
            ParamSpec.real("momentum", 0.9, 0.0, 0.999, "SGD momentum of the main training."),
            ParamSpec.real("weightDecay", 5e-4, 0.0, 1.0, "SGD weight decay (L2 term added to the gradient) of the main training."),
            ParamSpec.integer("batchSize", 128, 1, 65_536, "Images per batch (the last batch of an epoch may be smaller).")
                    .withUnit("images"),
            ParamSpec.text("layer", "",
                    "Layer whose input is polarized (a convolution); empty = default: layer4.1.conv1 for "
                            + "preact-resnet18, the last convolution for other models."),
            ParamSpec.choice("placement", Placement.INPUT.id(), Placement.CHOICES,
                    "input: polarize the input of the named convolution only (a forward pre-hook, as in BackdoorBench; "
                            + "the residual branch only in PreAct blocks); output: polarize the layer's output for every consumer."),
            ParamSpec.choice("norm", AttackNorm.L2.id(), AttackNorm.CHOICES,
                    "Threat model of the inner targeted attack: L2 (default) or Linf (BackdoorBench's L_inf option)."),
            ParamSpec.real("radius", 3.0, 0.0, 1000.0,
                    "L2 radius of the perturbation in [0, 1] pixel units at the reference input size 3x32x32 "
                            + "(BackdoorBench CIFAR-10: 3.0; GTSRB 5.0); see radiusScaling."),
            ParamSpec.choice("radiusScaling", RadiusScaling.SQRT_DIMENSION.id(), RadiusScaling.CHOICES,
                    "sqrt-dimension: the L2 radius used is radius * sqrt(C*H*W / 3072), the same per-pixel RMS "
                            + "perturbation as the reference at any input size; none: radius as given."),
            ParamSpec.real("stepSize", 0.1, 0.0, 100.0, "Step size of the L2 attack (per-pixel for sign steps)."),
            ParamSpec.integer("steps", 2, 0, 1000, "Inner attack steps under the L2 norm.").withUnit("steps"),
            ParamSpec.choice("stepRule", StepRule.SIGN.id(), StepRule.CHOICES,
                    "L2 attack step: sign (delta -= stepSize * sign(grad), CIFAR-10/GTSRB) or gradient "
                            + "(delta -= stepSize * grad of the mean loss, BackdoorBench's Tiny-ImageNet rule)."),
            ParamSpec.real("linfRadius", 0.2, 0.0, 1.0, "Radius of the Linf attack in [0, 1] pixel units (BackdoorBench forces 0.2)."),
            ParamSpec.real("linfStepSize", 0.44, 0.0, 10.0, "Sign step of the Linf attack (BackdoorBench: 2.2 x radius)."),
            ParamSpec.integer("linfSteps", 10, 0, 1000, "Inner attack steps under the Linf norm (BackdoorBench forces 10).")
                    .withUnit("steps"),
            ParamSpec.bool("linfMaxInit", true, "Start the Linf perturbation at +linfRadius on every pixel (BackdoorBench's max_init)."),
            ParamSpec.real("earlyStopFraction", 0.6, 0.0, 1.0,
                    "The attack stops after a step once more than this fraction of the batch is classified as its "
                            + "target; 1 disables the early stop."),
            ParamSpec.real("lambda1", 1.0, 0.0, 100.0, "Weight of L1: cross-entropy on the clean images."),
            ParamSpec.real("lambda2", 0.4, 0.0, 100.0, "Weight of L2: cross-entropy of the perturbed images against the clean prediction."),
            ParamSpec.real("lambda3", 0.4, 0.0, 100.0, "Weight of L3: -log(1.0001 - p) of the most probable wrong class on perturbed images."),
            ParamSpec.real("lambda4", 0.4, 0.0, 100.0, "Weight of L4: -log(1.0001 - p) of the estimated target class on perturbed images."),
            ParamSpec.choice("targetEstimate", TargetEstimate.PER_SAMPLE.id(), TargetEstimate.CHOICES,
                    "per-sample: each image's most confident wrong class (BackdoorBench); batch-majority: the most "
                            + "frequent per-sample estimate of the batch (samples of that class keep their own estimate)."),
            ParamSpec.real("trueClassLogit", -10.0, -1e6, 1e6,
                    "Value written over the true class's logit before the target argmax (BackdoorBench: -10, not -infinity)."),
            ParamSpec.real("lossBound", 80.0, 0.0, 1e6, "Per-sample attack losses are clamped to [-lossBound, lossBound]."),
            ParamSpec.integer("probeEvery", 1, 0, 1000,
                    "Evaluate the test sets for the reporting curves every this many epochs (0 = never); never used for decisions.")
                    .withUnit("epochs"),
            ParamSpec.real("divergenceFactor", 10.0, 0.0, 1e6,
                    "Divergence guard (not in the reference): a batch whose clean cross-entropy exceeds this many times "
                            + "that of the polarized model before the main training (at least ln K) restores the epoch's "
                            + "starting polarizer, halves learningRate and repeats the epoch; 0 turns the guard off."),
            ParamSpec.integer("maxHalvings", 6, 0, 50,
                    "Divergence guard: the run fails once learningRate would be halved more often than this.")
                    .withUnit("halvings"),
            ParamSpec.choice("batchNormStart", BatchNormStart.REFERENCE.id(), BatchNormStart.CHOICES,
                    "reference: the polarizer's batch norm starts as PyTorch's (scale 1, shift 0), so the warm-up "
                            + "standardizes the polarized features; identity (ours): scale, shift and running statistics "
                            + "start from the features' mean and variance on the defense data, so the polarizer starts "
                            + "as the identity (for models whose features are not normalized at the insertion point)."));

    /** Reads resolved parameters. */
    static NpdParams from(ResolvedParams p) {
        return new NpdParams(p.integer("epochs"), p.integer("warmupEpochs"), p.real("warmupLearningRate"),
                p.real("learningRate"), p.real("momentum"), p.real("weightDecay"), p.integer("batchSize"),
                p.text("layer").trim(), Placement.fromId(p.text("placement")), AttackNorm.fromId(p.text("norm")),
                p.real("radius"), RadiusScaling.fromId(p.text("radiusScaling")), p.real("stepSize"),
                p.integer("steps"), StepRule.fromId(p.text("stepRule")), p.real("linfRadius"),
                p.real("linfStepSize"), p.integer("linfSteps"), p.bool("linfMaxInit"), p.real("earlyStopFraction"),
                new LossWeights(p.real("lambda1"), p.real("lambda2"), p.real("lambda3"), p.real("lambda4")),
                TargetEstimate.fromId(p.text("targetEstimate")), p.real("trueClassLogit"), p.real("lossBound"),
                p.integer("probeEvery"), p.real("divergenceFactor"), p.integer("maxHalvings"),
                BatchNormStart.fromId(p.text("batchNormStart")));
    }

    /** The inner attack's configuration for images of {@code channels x height x width}. */
    AttackConfig attack(int channels, int height, int width) {
        if (norm == AttackNorm.LINF) {
            return new AttackConfig(AttackNorm.LINF, linfRadius, linfStepSize, linfSteps, StepRule.SIGN, linfMaxInit,
                    earlyStopFraction, lossBound);
        }
        double effective = radiusScaling.apply(radius, (long) channels * height * width);
        return new AttackConfig(AttackNorm.L2, effective, stepSize, steps, stepRule, false, earlyStopFraction, lossBound);
    }

    /** Where the polarizer goes. */
    enum Placement {
        /** The input of the named convolution, for that convolution only. */
        INPUT("input"),
        /** The output of the named layer, for every consumer. */
        OUTPUT("output");

        static final List<String> CHOICES = List.of("input", "output");
        private final String id;

        Placement(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }

        static Placement fromId(String id) {
            return id.equals("output") ? OUTPUT : INPUT;
        }
    }

    /** How the per-sample target labels are estimated. */
    enum TargetEstimate {
        /** Each sample's most confident wrong class. */
        PER_SAMPLE("per-sample"),
        /** The most frequent per-sample estimate in the batch. */
        BATCH_MAJORITY("batch-majority");

        static final List<String> CHOICES = List.of("per-sample", "batch-majority");
        private final String id;

        TargetEstimate(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }

        static TargetEstimate fromId(String id) {
            return id.equals("batch-majority") ? BATCH_MAJORITY : PER_SAMPLE;
        }
    }

    /** How the polarizer's batch norm starts. */
    enum BatchNormStart {
        /** PyTorch's fresh batch norm: scale 1, shift 0 (the warm-up then standardizes the features). */
        REFERENCE("reference"),
        /** Scale, shift and running statistics from the features on the defense data: the identity. */
        IDENTITY("identity");

        static final List<String> CHOICES = List.of("reference", "identity");
        private final String id;

        BatchNormStart(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }

        static BatchNormStart fromId(String id) {
            return id.equals("identity") ? IDENTITY : REFERENCE;
        }
    }

    /** How the L2 radius follows the input size. */
    enum RadiusScaling {
        /** {@code radius * sqrt(d / 3072)}: the reference's per-pixel RMS at any size. */
        SQRT_DIMENSION("sqrt-dimension"),
        /** The radius as given. */
        NONE("none");

        /** Values per image of the reference input 3x32x32. */
        static final long REFERENCE_DIMENSION = 3L * 32 * 32;
        static final List<String> CHOICES = List.of("sqrt-dimension", "none");
        private final String id;

        RadiusScaling(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }

        static RadiusScaling fromId(String id) {
            return id.equals("none") ? NONE : SQRT_DIMENSION;
        }

        /** The radius used for images with {@code dimension} values. */
        double apply(double radius, long dimension) {
            return this == NONE ? radius : radius * Math.sqrt(dimension / (double) REFERENCE_DIMENSION);
        }
    }
}
