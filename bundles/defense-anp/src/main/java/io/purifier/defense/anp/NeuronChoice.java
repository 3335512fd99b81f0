package io.purifier.defense.anp;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.blocks.NeuronScaling;
import io.purifier.engine.model.EngineModel;

import java.util.List;

/**
 * Which channels ANP treats as neurons. BackdoorBench replaces every batch norm of the model by a noisy batch norm,
 * so its neurons are batch-norm channels: the mask and the perturbation scale {@code gamma} and the perturbation
 * {@code beta}. A model without batch norm (the default {@code small-cnn}) has no such neurons; there the channels
 * of every convolution are the neurons (filter and bias), the paper's general definition of a neuron.
 */
enum NeuronChoice {
    /** Batch norms when the model has any, else convolutions. */
    AUTO("auto"),
    /** Batch-norm channels only. */
    BATCH_NORM("batch-norm"),
    /** Convolution output channels. */
    CONVOLUTION("convolution");

    static final List<String> CHOICES = List.of("auto", "batch-norm", "convolution");
    private final String id;

    NeuronChoice(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    static NeuronChoice fromId(String id) {
        for (NeuronChoice c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown neuron choice " + id);
    }

    /**
     * The targets in {@code model}.
     *
     * @throws InvalidInputException naming the model when it has none of the chosen kind
     */
    List<NeuronScaling.Target> targets(EngineModel model) {
        List<NeuronScaling.Target> bn = NeuronScaling.batchNormTargets(model);
        List<NeuronScaling.Target> out = switch (this) {
            case AUTO -> bn.isEmpty() ? NeuronScaling.convolutionTargets(model) : bn;
            case BATCH_NORM -> bn;
            case CONVOLUTION -> NeuronScaling.convolutionTargets(model);
        };
        if (out.isEmpty()) {
            throw new InvalidInputException("anp perturbs and masks neurons, but model '" + model.architectureId()
                    + "' has no " + (this == BATCH_NORM ? "batch-norm layer" : this == CONVOLUTION ? "convolution"
                    : "batch-norm layer or convolution") + (this == BATCH_NORM ? "; use neurons = convolution or auto" : ""));
        }
        return out;
    }
}
