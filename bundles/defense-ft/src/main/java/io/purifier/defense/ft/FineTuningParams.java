package io.purifier.defense.ft;

import io.purifier.api.data.Augmentation;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.train.TrainingConfig;

/**
 * The parameters of FT. Defaults follow BackdoorBench's {@code config/defense/ft/cifar10.yaml} (SGD, learning rate
 * 0.01, momentum 0.9, weight decay 5e-4, cosine annealing, batch 256, random crop with 4 pixels of padding) except
 * the number of epochs, lowered for CPUs (see the README).
 *
 * @param optimizer      {@code sgd} (BackdoorBench's {@code client_optimizer}) or {@code adam}
 * @param learningRate   initial learning rate
 * @param momentum       SGD momentum
 * @param weightDecay    L2 weight decay on every parameter
 * @param schedule       per-epoch learning-rate schedule: cosine, step or constant
 * @param epochs         passes over the clean data
 * @param batchSize      images per step
 * @param cropPadding    zero padding before the random crop of every training image (0 = none)
 * @param horizontalFlip random horizontal flips of the training images
 */
record FineTuningParams(String optimizer, double learningRate, double momentum, double weightDecay, String schedule,
                        int epochs, int batchSize, int cropPadding, boolean horizontalFlip) {

    /** Default epochs on CPUs (BackdoorBench: 100 on GPUs). */
    static final int DEFAULT_EPOCHS = 20;

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("epochs", DEFAULT_EPOCHS, 1, 1000,
                    "Passes over the clean data (BackdoorBench: 100 on GPUs; see the README for the CPU default).")
                    .withUnit("epochs"),
            ParamSpec.integer("batchSize", 256, 2, 4096, "Images per step.").withUnit("images"),
            ParamSpec.choice("optimizer", "sgd", TrainingConfig.OPTIMIZERS,
                    "SGD with momentum (BackdoorBench's client_optimizer) or Adam."),
            ParamSpec.real("learningRate", 0.01, 1e-7, 10.0, "Initial learning rate."),
            ParamSpec.real("momentum", 0.9, 0.0, 0.999, "SGD momentum (ignored by Adam)."),
            ParamSpec.real("weightDecay", 5e-4, 0.0, 0.1, "L2 weight decay added to every gradient."),
            ParamSpec.choice("schedule", "cosine", TrainingConfig.SCHEDULES,
                    "Learning rate per epoch: cosine annealing to 0 over the epochs (BackdoorBench's CosineAnnealingLR), "
                            + "x0.1 steps at 50% and 75%, or constant."),
            ParamSpec.integer("cropPadding", 4, 0, 64,
                    "Random crop after this much zero padding of every training image (BackdoorBench: 4); 0 disables it.")
                    .withUnit("px"),
            ParamSpec.bool("horizontalFlip", false,
                    "Random horizontal flips of the training images (BackdoorBench flips on CIFAR-10 only)."));

    /** Reads resolved parameters. */
    static FineTuningParams from(ResolvedParams p) {
        return new FineTuningParams(p.text("optimizer"), p.real("learningRate"), p.real("momentum"),
                p.real("weightDecay"), p.text("schedule"), p.integer("epochs"), p.integer("batchSize"),
                p.integer("cropPadding"), p.bool("horizontalFlip"));
    }

    /** The optimiser, schedule, epochs and batch size as the engine's training configuration. */
    TrainingConfig training() {
        return new TrainingConfig(optimizer, learningRate, momentum, weightDecay, schedule, epochs, batchSize);
    }

    /** The training-time augmentation. */
    Augmentation augmentation() {
        return new Augmentation(cropPadding, horizontalFlip);
    }
}
