package io.purifier.defense.bcu;

import io.purifier.api.data.Augmentation;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamProblem;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.train.TrainingConfig;

import java.util.List;

/**
 * The parameters of BCU. Defaults follow the reference code (luluppang/BCU, {@code run_defense.sh} and
 * {@code distillation_dropout_increase.py}) except the number of epochs (100 there; 20 here, a CPU-sensible
 * default: see the README).
 *
 * @param epochs         distillation epochs E (the temperature and learning-rate schedules span them)
 * @param batchSize      unlabeled images per step
 * @param learningRate   initial SGD learning rate (cosine-annealed per epoch to 0 after the last)
 * @param momentum       SGD momentum
 * @param weightDecay    L2 weight decay on every parameter
 * @param maxTemperature the temperature of the last epoch; T_e = 1 + (maxTemperature - 1)(e + 1)/E
 * @param reinitRatios   replacement probabilities for stem, stage 1..4 and classifier
 * @param stageMapping   how layers are mapped to the six slots
 * @param reinitInit     the distribution of the fresh values
 * @param cropPadding    zero padding before the random crop of each unlabeled image (0 = no crop)
 * @param randomCrop     {@value #REFERENCE_CROP}: the reference's random crop after {@code cropPadding};
 *                       {@value #NO_CROP}: our departure, no crop whatever {@code cropPadding} says
 * @param horizontalFlip random horizontal flips of unlabeled images
 * @param probeEvery     reporting-probe period in epochs (0 = never)
 */
record BcuParams(int epochs, int batchSize, double learningRate, double momentum, double weightDecay,
                 double maxTemperature, List<Double> reinitRatios, ReinitStages.Mapping stageMapping,
                 TwinInitializer reinitInit, int cropPadding, String randomCrop, boolean horizontalFlip,
                 int probeEvery) {

    /** The {@code randomCrop} choice of the reference behaviour: crop after {@code cropPadding} of zero padding. */
    static final String REFERENCE_CROP = "reference";

    /** The {@code randomCrop} choice of the departure: no random crop. */
    static final String NO_CROP = "no-crop";

    /** The reference code's {@code --layerwise_ratio}. */
    static final List<Double> DEFAULT_RATIOS = List.of(0.01, 0.01, 0.03, 0.09, 0.27, 0.10);

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("epochs", 20, 1, 1000,
                    "Distillation epochs E over the unlabeled images; the temperature and the cosine learning rate "
                            + "span them (the reference code uses 100).").withUnit("epochs"),
            ParamSpec.integer("batchSize", 256, 2, 4096, "Unlabeled images per SGD step.").withUnit("images"),
            ParamSpec.real("learningRate", 0.01, 1e-6, 1.0, "Initial SGD learning rate, cosine-annealed per epoch."),
            ParamSpec.real("momentum", 0.9, 0.0, 0.999, "SGD momentum."),
            ParamSpec.real("weightDecay", 5e-4, 0.0, 0.1, "L2 weight decay added to every gradient."),
            ParamSpec.real("maxTemperature", 4.0, 1.0, 20.0,
                    "Distillation temperature of the last epoch; epoch e of E uses 1 + (max - 1)(e + 1)/E."),
            ParamSpec.realList("reinitRatios", DEFAULT_RATIOS, 0.0, 1.0,
                    "Six probabilities that a weight element is replaced by a fresh random value: stem, stage 1, "
                            + "stage 2, stage 3, stage 4, classifier."),
            ParamSpec.choice("stageMapping", "architecture", ReinitStages.Mapping.CHOICES,
                    "architecture: named stages for preact-resnet18, depth otherwise; depth: always place the "
                            + "convolutions in depth quartiles (last convolution and hidden dense layers in stage 4)."),
            TwinInitializer.spec(),
            ParamSpec.integer("cropPadding", 4, 0, 16,
                    "Zero padding before the random crop back to size applied to every unlabeled image; 0 disables it.")
                    .withUnit("px"),
            ParamSpec.choice("randomCrop", REFERENCE_CROP, List.of(REFERENCE_CROP, NO_CROP),
                    "reference: the reference code's random crop after cropPadding; no-crop: our departure without it "
                            + "(on the Fashion-MNIST ResNet BadNets came back to 37.5 % ASR without it, 84.6 % with "
                            + "it; see the README). A variant of the method: the benchmark matrix runs it as its own "
                            + "column, bcu-no-crop.").asVariant(),
            ParamSpec.bool("horizontalFlip", false,
                    "Random horizontal flips of the unlabeled images (the reference code flips for CIFAR-10 only)."),
            ParamSpec.integer("probeEvery", 5, 0, 1000,
                    "Report test C-ACC/ASR/RA curves every this many epochs, after re-initialization and at the "
                            + "last epoch (reporting only, never used for decisions); 0 = never.").withUnit("epochs"));

    /** Checks what the descriptor cannot: the number of ratios. */
    BcuParams {
        if (reinitRatios.size() != ReinitStages.SLOTS.size()) {
            throw new InvalidParametersException(List.of(new ParamProblem("reinitRatios", reinitRatios,
                    "needs exactly " + ReinitStages.SLOTS.size() + " ratios " + ReinitStages.SLOTS + ", got "
                            + reinitRatios.size())));
        }
        reinitRatios = List.copyOf(reinitRatios);
    }

    /** Reads resolved parameters. */
    static BcuParams from(ResolvedParams p) {
        return new BcuParams(p.integer("epochs"), p.integer("batchSize"), p.real("learningRate"), p.real("momentum"),
                p.real("weightDecay"), p.real("maxTemperature"), p.realList("reinitRatios"),
                ReinitStages.Mapping.fromId(p.text("stageMapping")), TwinInitializer.fromId(p.text("reinitInit")),
                p.integer("cropPadding"), p.text("randomCrop"), p.bool("horizontalFlip"), p.integer("probeEvery"));
    }

    /** The optimiser, cosine schedule, epochs and batch size as the engine's training configuration. */
    TrainingConfig training() {
        return new TrainingConfig("sgd", learningRate, momentum, weightDecay, "cosine", epochs, batchSize);
    }

    /** The temperature schedule. */
    TemperatureSchedule temperatures() {
        return new TemperatureSchedule(epochs, maxTemperature);
    }

    /** The augmentation of the unlabeled images: the {@code no-crop} variant drops the crop, nothing else. */
    Augmentation augmentation() {
        return new Augmentation(NO_CROP.equals(randomCrop) ? 0 : cropPadding, horizontalFlip);
    }

    /** Whether the reporting probe runs after epoch {@code epoch} (1-based; 0 = after re-initialization). */
    boolean probesAt(int epoch) {
        return probeEvery > 0 && (epoch == 0 || epoch == epochs || epoch % probeEvery == 0);
    }
}
