package io.purifier.engine.train;

import io.purifier.api.data.Augmentation;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;

import java.util.List;

/**
 * Optimiser, schedule and length of a supervised training run. Defaults are a sensible recipe for the small
 * CNN on Fashion-MNIST: SGD, learning rate 0.01, momentum 0.9, weight decay 5e-4, cosine schedule, 10 epochs
 * of batch 128.
 *
 * @param optimizer    {@code sgd} (PyTorch semantics: momentum buffer, L2 weight decay added to the gradient)
 *                     or {@code adam} (PyTorch {@code Adam}, betas 0.9/0.999, eps 1e-8, L2 weight decay)
 * @param learningRate initial learning rate
 * @param momentum     SGD momentum (ignored by Adam)
 * @param weightDecay  L2 penalty added to the gradient of every trained parameter
 * @param schedule     {@code cosine} (per epoch, to 0 after the last), {@code step} (x0.1 at 50% and 75% of the
 *                     epochs) or {@code constant}
 * @param epochs       passes over the training set
 * @param batchSize    images per step
 */
public record TrainingConfig(String optimizer, double learningRate, double momentum, double weightDecay,
                             String schedule, int epochs, int batchSize) {

    /** The parameter that switches the dataset's train-time augmentation on or off (not part of the record). */
    public static final String AUGMENT = "augment";
    /** Optimiser choices. */
    public static final List<String> OPTIMIZERS = List.of("sgd", "adam");
    /** Schedule choices. */
    public static final List<String> SCHEDULES = List.of("cosine", "step", "constant");

    /** The parameters, with the defaults above. */
    public static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.choice("optimizer", "sgd", OPTIMIZERS, "SGD with momentum, or Adam."),
            ParamSpec.real("learningRate", 0.01, 1e-7, 10.0, "Initial learning rate."),
            ParamSpec.real("momentum", 0.9, 0.0, 0.999, "SGD momentum (ignored by Adam)."),
            ParamSpec.real("weightDecay", 5e-4, 0.0, 0.1, "L2 weight decay added to every gradient."),
            ParamSpec.choice("schedule", "cosine", SCHEDULES,
                    "Learning-rate schedule over epochs: cosine annealing, x0.1 steps at 50% and 75%, or constant."),
            ParamSpec.integer("epochs", 10, 1, 1000, "Passes over the training set.").withUnit("epochs"),
            ParamSpec.integer("batchSize", 128, 2, 4096, "Images per optimisation step.").withUnit("images"),
            ParamSpec.bool(AUGMENT, true, "Apply the dataset's train-time augmentation (random crop with padding, "
                    + "horizontal flip where the dataset allows it). Off: the images as they are."));

    /** Checks the values (the descriptor's bounds and choices). */
    public TrainingConfig {
        if (!OPTIMIZERS.contains(optimizer)) {
            throw new IllegalArgumentException("optimizer must be one of " + OPTIMIZERS + ", got " + optimizer);
        }
        if (!SCHEDULES.contains(schedule)) {
            throw new IllegalArgumentException("schedule must be one of " + SCHEDULES + ", got " + schedule);
        }
        if (!(learningRate > 0) || momentum < 0 || momentum >= 1 || weightDecay < 0 || epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("invalid training config " + new StringBuilder()
                    .append("lr=").append(learningRate).append(" momentum=").append(momentum).append(" wd=")
                    .append(weightDecay).append(" epochs=").append(epochs).append(" batchSize=").append(batchSize));
        }
    }

    /** Reads resolved parameters of {@link #DESCRIPTOR}. */
    public static TrainingConfig from(ResolvedParams p) {
        return new TrainingConfig(p.text("optimizer"), p.real("learningRate"), p.real("momentum"),
                p.real("weightDecay"), p.text("schedule"), p.integer("epochs"), p.integer("batchSize"));
    }

    /**
     * The augmentation a training run with these parameters uses: the dataset's suggestion, or none when
     * {@value #AUGMENT} is off.
     */
    public static Augmentation augmentation(ResolvedParams p, Augmentation datasetSuggestion) {
        return p.bool(AUGMENT) ? datasetSuggestion : Augmentation.none();
    }

    /** The defaults. */
    public static TrainingConfig defaults() {
        return from(DESCRIPTOR.defaults());
    }

    /** A copy with another number of epochs. */
    public TrainingConfig withEpochs(int newEpochs) {
        return new TrainingConfig(optimizer, learningRate, momentum, weightDecay, schedule, newEpochs, batchSize);
    }

    /** A copy with another batch size. */
    public TrainingConfig withBatchSize(int newBatchSize) {
        return new TrainingConfig(optimizer, learningRate, momentum, weightDecay, schedule, epochs, newBatchSize);
    }

    /** A copy with another learning rate. */
    public TrainingConfig withLearningRate(double newLearningRate) {
        return new TrainingConfig(optimizer, newLearningRate, momentum, weightDecay, schedule, epochs, batchSize);
    }

    /** The learning rate for {@code epoch} (0-based) under the schedule. */
    public double learningRateAt(int epoch) {
        return switch (schedule) {
            case "cosine" -> learningRate * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs));
            case "step" -> learningRate * (epoch >= (3 * epochs) / 4 ? 0.01 : epoch >= epochs / 2 ? 0.1 : 1.0);
            default -> learningRate;
        };
    }

    /** A fresh optimiser of the configured kind. */
    public Optimizer newOptimizer() {
        return "adam".equals(optimizer) ? Optimizer.adam(weightDecay) : Optimizer.sgd(momentum, weightDecay);
    }
}
