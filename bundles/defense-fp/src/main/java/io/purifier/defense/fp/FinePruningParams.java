package io.purifier.defense.fp;

import io.purifier.api.data.Augmentation;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.train.TrainingConfig;

/**
 * The parameters of Fine-Pruning. Defaults follow BackdoorBench's {@code config/defense/fp/cifar10.yaml}
 * ({@code acc_ratio} 0.1, {@code once_prune_ratio} 0.01, then fine-tuning with SGD 0.01, momentum 0.9, weight
 * decay 5e-4, cosine annealing, batch 256, random crops), except the number of fine-tuning epochs, lowered for CPUs.
 *
 * @param layer          the layer whose channels are pruned; empty = the last convolutional feature map
 * @param accRatio       pruning stops before the clean accuracy changes by this fraction of its starting value
 * @param oncePruneRatio channels added per pruning step, as a fraction of the layer's channels (rounded up)
 * @param optimizer      fine-tuning optimiser
 * @param learningRate   fine-tuning initial learning rate
 * @param momentum       SGD momentum
 * @param weightDecay    L2 weight decay
 * @param schedule       per-epoch learning-rate schedule
 * @param epochs         fine-tuning epochs
 * @param batchSize      images per step
 * @param cropPadding    random-crop padding of the fine-tuning augmentation (0 = none)
 * @param horizontalFlip random horizontal flips during fine-tuning
 */
record FinePruningParams(String layer, double accRatio, double oncePruneRatio, String optimizer, double learningRate,
                         double momentum, double weightDecay, String schedule, int epochs, int batchSize,
                         int cropPadding, boolean horizontalFlip) {

    /** Default fine-tuning epochs on CPUs (BackdoorBench: 100 on GPUs). */
    static final int DEFAULT_EPOCHS = 20;

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.text("layer", "",
                    "Layer whose output channels are pruned; empty = the last convolutional feature map (layer4 of "
                            + "preact-resnet18, relu2 of small-cnn, block3.relu2 of vgg-small, the last 4-D non-pooling layer otherwise)."),
            ParamSpec.real("accRatio", 0.1, 0.0, 1.0,
                    "Pruning keeps the last count at which the clean accuracy on the defense data differs from the "
                            + "unpruned accuracy by less than this fraction of it (BackdoorBench's acc_ratio)."),
            ParamSpec.real("oncePruneRatio", 0.01, 1e-6, 1.0,
                    "Channels added per pruning step, as a fraction of the layer's channels, rounded up (BackdoorBench's once_prune_ratio)."),
            ParamSpec.integer("epochs", DEFAULT_EPOCHS, 0, 1000,
                    "Fine-tuning epochs after pruning (BackdoorBench: 100 on GPUs); 0 = prune only.").withUnit("epochs"),
            ParamSpec.integer("batchSize", 256, 2, 4096, "Images per fine-tuning step.").withUnit("images"),
            ParamSpec.choice("optimizer", "sgd", TrainingConfig.OPTIMIZERS, "Fine-tuning optimiser (BackdoorBench's client_optimizer)."),
            ParamSpec.real("learningRate", 0.01, 1e-7, 10.0, "Initial fine-tuning learning rate."),
            ParamSpec.real("momentum", 0.9, 0.0, 0.999, "SGD momentum (ignored by Adam)."),
            ParamSpec.real("weightDecay", 5e-4, 0.0, 0.1, "L2 weight decay added to every gradient."),
            ParamSpec.choice("schedule", "cosine", TrainingConfig.SCHEDULES,
                    "Fine-tuning learning rate per epoch: cosine annealing to 0 (BackdoorBench's CosineAnnealingLR), steps, or constant."),
            ParamSpec.integer("cropPadding", 4, 0, 64,
                    "Random crop after this much zero padding of every fine-tuning image (BackdoorBench: 4); 0 disables it.")
                    .withUnit("px"),
            ParamSpec.bool("horizontalFlip", false,
                    "Random horizontal flips during fine-tuning (BackdoorBench flips on CIFAR-10 only)."));

    /** Reads resolved parameters. */
    static FinePruningParams from(ResolvedParams p) {
        return new FinePruningParams(p.text("layer").trim(), p.real("accRatio"), p.real("oncePruneRatio"),
                p.text("optimizer"), p.real("learningRate"), p.real("momentum"), p.real("weightDecay"),
                p.text("schedule"), p.integer("epochs"), p.integer("batchSize"), p.integer("cropPadding"),
                p.bool("horizontalFlip"));
    }

    /** The fine-tuning configuration (only valid when {@code epochs >= 1}). */
    TrainingConfig training() {
        return new TrainingConfig(optimizer, learningRate, momentum, weightDecay, schedule, epochs, batchSize);
    }

    /** The fine-tuning augmentation. */
    Augmentation augmentation() {
        return new Augmentation(cropPadding, horizontalFlip);
    }
}
