package io.purifier.defense.nc;

import io.purifier.api.data.Augmentation;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.train.TrainingConfig;

import java.util.List;

/**
 * The parameters of Neural Cleanse. Defaults follow BackdoorBench's {@code config/defense/nc/cifar10.yaml}: trigger
 * search for {@code nc_epoch} = 80 epochs per class with Adam 0.1, initial cost 1e-3, attack-success threshold 98%,
 * patience 5, cost multiplier 2, early stop after 25 epochs without a 1% gain, L1 mask norm; outliers beyond 2 MADs;
 * unlearning on the clean data with 20% of it stamped with each flagged trigger, fine-tuned with SGD 0.01, momentum
 * 0.9, weight decay 5e-4, cosine schedule, batch 256 — for fewer epochs than BackdoorBench's 100 (CPU default).
 *
 * @param searchEpochs           trigger-search epochs per class
 * @param maskLearningRate       Adam learning rate of mask and pattern
 * @param initCost               initial weight of the mask norm
 * @param attackSuccessThreshold mean share of stamped images in the target class an epoch needs
 * @param patience               epochs before the cost moves
 * @param costMultiplier         cost factor up (down: its 1.5th power)
 * @param earlyStop              whether a class's search may stop early
 * @param earlyStopThreshold     relative norm improvement below which an epoch is no progress
 * @param earlyStopPatience      epochs without progress before stopping
 * @param epsilon                the squashing's {@code 2 + epsilon} divisor
 * @param l1                     L1 (true) or L2 mask norm
 * @param detectionRuns          how often the whole detection runs ({@code n_times_test})
 * @param anomalyThreshold       MADs below the median that flag a class
 * @param unlearningRatio        share of the clean data stamped with each flagged trigger
 * @param epochs                 unlearning epochs
 * @param batchSize              images per step (search and unlearning)
 * @param optimizer              unlearning optimiser
 * @param learningRate           unlearning learning rate
 * @param momentum               SGD momentum
 * @param weightDecay            L2 weight decay
 * @param schedule               unlearning schedule
 * @param cropPadding            random-crop padding (search and unlearning)
 * @param horizontalFlip         random horizontal flips (search and unlearning)
 */
record NcParams(int searchEpochs, double maskLearningRate, double initCost, double attackSuccessThreshold, int patience,
                double costMultiplier, boolean earlyStop, double earlyStopThreshold, int earlyStopPatience,
                double epsilon, boolean l1, int detectionRuns, double anomalyThreshold, double unlearningRatio,
                int epochs, int batchSize, String optimizer, double learningRate, double momentum, double weightDecay,
                String schedule, int cropPadding, boolean horizontalFlip) {

    /** Mask norm choices ({@code use_norm}). */
    static final List<String> NORMS = List.of("L1", "L2");

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("searchEpochs", 80, 1, 10_000,
                    "Trigger-search epochs per class over the clean data (BackdoorBench's nc_epoch).").withUnit("epochs"),
            ParamSpec.real("maskLearningRate", 0.1, 1e-7, 10.0, "Adam learning rate of mask and pattern (mask_lr)."),
            ParamSpec.real("initCost", 1e-3, 0.0, 1e3, "Initial weight of the mask norm in the search loss (init_cost)."),
            ParamSpec.real("attackSuccessThreshold", 0.98, 0.0, 1.0,
                    "Mean share of stamped images classified as the target an epoch needs to count as a success "
                            + "(atk_succ_threshold, 98%)."),
            ParamSpec.integer("patience", 5, 1, 1000, "Successful or failed epochs in a row before the cost moves (patience).")
                    .withUnit("epochs"),
            ParamSpec.real("costMultiplier", 2.0, 1.0, 100.0, "Cost factor up; down is its 1.5th power (cost_multiplier)."),
            ParamSpec.bool("earlyStop", true, "Stop a class's search once the cost went up and down and the best norm stalls (early_stop)."),
            ParamSpec.real("earlyStopThreshold", 0.99, 0.0, 1.0,
                    "An epoch whose best norm is not below this fraction of the previous best makes no progress (early_stop_threshold)."),
            ParamSpec.integer("earlyStopPatience", 25, 1, 10_000, "Epochs without progress before stopping (early_stop_patience).")
                    .withUnit("epochs"),
            ParamSpec.real("epsilon", 1e-7, 0.0, 1.0, "The squashing tanh(x) / (2 + epsilon) + 0.5 of mask and pattern (EPSILON)."),
            ParamSpec.choice("norm", "L1", NORMS, "Mask norm in the search loss and in the outlier detection (use_norm 1 = L1)."),
            ParamSpec.integer("detectionRuns", 1, 1, 100,
                    "How often the whole detection runs; a class flagged in any run is unlearnt (n_times_test).").withUnit("runs"),
            ParamSpec.real("anomalyThreshold", 2.0, 0.0, 100.0,
                    "A class whose mask norm lies more than this many MADs below the median is flagged (2 in the paper and code)."),
            ParamSpec.real("unlearningRatio", 0.2, 0.0, 1.0,
                    "Share of the clean data stamped with each flagged trigger, keeping its true labels (unlearning_ratio)."),
            ParamSpec.integer("epochs", 20, 1, 1000,
                    "Unlearning (fine-tuning) epochs (BackdoorBench: 100 on GPUs).").withUnit("epochs"),
            ParamSpec.integer("batchSize", 256, 2, 4096, "Images per step of the search and of the unlearning.").withUnit("images"),
            ParamSpec.choice("optimizer", "sgd", TrainingConfig.OPTIMIZERS, "Unlearning optimiser (client_optimizer)."),
            ParamSpec.real("learningRate", 0.01, 1e-7, 10.0, "Initial unlearning learning rate (lr)."),
            ParamSpec.real("momentum", 0.9, 0.0, 0.999, "SGD momentum (sgd_momentum; ignored by Adam)."),
            ParamSpec.real("weightDecay", 5e-4, 0.0, 0.1, "L2 weight decay of the unlearning (wd)."),
            ParamSpec.choice("schedule", "cosine", TrainingConfig.SCHEDULES,
                    "Unlearning learning rate per epoch (CosineAnnealingLR, annealed over the configured epochs)."),
            ParamSpec.integer("cropPadding", 4, 0, 64,
                    "Random crop after this much zero padding in search and unlearning (BackdoorBench: 4); 0 disables it.")
                    .withUnit("px"),
            ParamSpec.bool("horizontalFlip", false,
                    "Random horizontal flips in search and unlearning (BackdoorBench flips on CIFAR-10 only)."));

    /** Reads resolved parameters. */
    static NcParams from(ResolvedParams p) {
        return new NcParams(p.integer("searchEpochs"), p.real("maskLearningRate"), p.real("initCost"),
                p.real("attackSuccessThreshold"), p.integer("patience"), p.real("costMultiplier"), p.bool("earlyStop"),
                p.real("earlyStopThreshold"), p.integer("earlyStopPatience"), p.real("epsilon"),
                "L1".equals(p.text("norm")), p.integer("detectionRuns"), p.real("anomalyThreshold"),
                p.real("unlearningRatio"), p.integer("epochs"), p.integer("batchSize"), p.text("optimizer"),
                p.real("learningRate"), p.real("momentum"), p.real("weightDecay"), p.text("schedule"),
                p.integer("cropPadding"), p.bool("horizontalFlip"));
    }

    /** A fresh cost schedule for one class's search. */
    CostSchedule costSchedule() {
        return new CostSchedule(initCost, costMultiplier, attackSuccessThreshold, patience, earlyStop, earlyStopThreshold,
                earlyStopPatience);
    }

    /** The unlearning configuration. */
    TrainingConfig training() {
        return new TrainingConfig(optimizer, learningRate, momentum, weightDecay, schedule, epochs, batchSize);
    }

    /** The augmentation of search and unlearning. */
    Augmentation augmentation() {
        return new Augmentation(cropPadding, horizontalFlip);
    }
}
