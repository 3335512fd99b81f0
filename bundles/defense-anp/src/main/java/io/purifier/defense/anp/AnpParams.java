package io.purifier.defense.anp;

import io.purifier.api.data.Augmentation;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;

import java.util.List;

/**
 * The parameters of ANP. Defaults follow BackdoorBench's {@code config/defense/anp/cifar10.yaml} and its
 * {@code defense/anp.py}: 2,000 mask iterations of batch 256 drawn with replacement, perturbation budget 0.4 in one
 * step, trade-off 0.2, mask SGD with the config's learning rate 0.01 and momentum 0.9, pruning by threshold with a
 * sweep up to 0.90 in steps of 0.05 and a clean-accuracy tolerance of 10%.
 *
 * @param iterations       mask-optimisation iterations ({@code nb_iter})
 * @param logEvery         iterations per logged curve point ({@code print_every})
 * @param batchSize        images per iteration
 * @param epsilon          neuron perturbation budget ({@code anp_eps})
 * @param steps            perturbation ascent steps ({@code anp_steps})
 * @param alpha            weight of the clean loss against the perturbed loss ({@code anp_alpha})
 * @param maskLearningRate mask SGD learning rate ({@code lr})
 * @param maskMomentum     mask SGD momentum
 * @param neurons          which layers' channels are the neurons
 * @param pruningBy        threshold on the mask values, or number of neurons
 * @param pruningMax       largest threshold (or number) of the sweep
 * @param pruningStep      sweep step
 * @param accRatio         tolerated relative change of the clean accuracy on the defense data
 * @param cropPadding      random-crop padding of the batches (0 = none)
 * @param horizontalFlip   random horizontal flips of the batches
 */
record AnpParams(int iterations, int logEvery, int batchSize, double epsilon, int steps, double alpha,
                 double maskLearningRate, double maskMomentum, NeuronChoice neurons, PruningBy pruningBy,
                 double pruningMax, double pruningStep, double accRatio, int cropPadding, boolean horizontalFlip) {

    /** The descriptor: single source of defaults, ranges and help texts. */
    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("iterations", 2000, 1, 1_000_000,
                    "Mask-optimisation iterations, one batch each (BackdoorBench's nb_iter).").withUnit("iterations"),
            ParamSpec.integer("logEvery", 500, 1, 1_000_000,
                    "Iterations per logged point of the mask curves (print_every).").withUnit("iterations"),
            ParamSpec.integer("batchSize", 256, 1, 4096,
                    "Clean images per iteration, drawn with replacement.").withUnit("images"),
            ParamSpec.real("epsilon", 0.4, 0.0, 10.0,
                    "Neuron perturbation budget: noise starts uniform in [-epsilon, epsilon] and ascends by epsilon/steps "
                            + "per step (anp_eps); 0 trains the masks on the clean loss only."),
            ParamSpec.integer("steps", 1, 1, 100, "Ascent steps of the neuron perturbation (anp_steps).").withUnit("steps"),
            ParamSpec.real("alpha", 0.2, 0.0, 1.0,
                    "Mask loss = alpha * clean loss + (1 - alpha) * perturbed loss (anp_alpha)."),
            ParamSpec.real("maskLearningRate", 0.01, 1e-7, 10.0,
                    "SGD learning rate of the masks (BackdoorBench's lr; the ANP paper uses 0.2)."),
            ParamSpec.real("maskMomentum", 0.9, 0.0, 0.999, "SGD momentum of the masks."),
            ParamSpec.choice("neurons", NeuronChoice.AUTO.id(), NeuronChoice.CHOICES,
                    "Which channels are neurons: batch-norm (BackdoorBench's noisy batch norms), convolution (filters "
                            + "and biases of every convolution), auto (batch norms when the model has any, else convolutions)."),
            ParamSpec.choice("pruningBy", PruningBy.THRESHOLD.id(), PruningBy.CHOICES,
                    "threshold: prune neurons whose mask is at most the threshold; number: prune the neurons with the "
                            + "smallest masks (pruning_by)."),
            ParamSpec.real("pruningMax", 0.90, 0.0, 1e6,
                    "Largest threshold (or number of neurons) of the sweep (pruning_max)."),
            ParamSpec.real("pruningStep", 0.05, 1e-6, 1e6,
                    "Step of the sweep: a threshold step, or a number of neurons, rounded up (pruning_step)."),
            ParamSpec.real("accRatio", 0.1, 0.0, 1.0,
                    "The most-pruned sweep point whose clean accuracy on the defense data differs from the unpruned "
                            + "model's by less than this fraction of it is kept (acc_ratio)."),
            ParamSpec.integer("cropPadding", 4, 0, 64,
                    "Random crop after this much zero padding of every batch image (BackdoorBench: 4); 0 disables it.")
                    .withUnit("px"),
            ParamSpec.bool("horizontalFlip", false,
                    "Random horizontal flips of the batch images (BackdoorBench flips on CIFAR-10 only)."));

    /** Reads resolved parameters. */
    static AnpParams from(ResolvedParams p) {
        return new AnpParams(p.integer("iterations"), p.integer("logEvery"), p.integer("batchSize"), p.real("epsilon"),
                p.integer("steps"), p.real("alpha"), p.real("maskLearningRate"), p.real("maskMomentum"),
                NeuronChoice.fromId(p.text("neurons")), PruningBy.fromId(p.text("pruningBy")), p.real("pruningMax"),
                p.real("pruningStep"), p.real("accRatio"), p.integer("cropPadding"), p.bool("horizontalFlip"));
    }

    /** The batch augmentation. */
    Augmentation augmentation() {
        return new Augmentation(cropPadding, horizontalFlip);
    }

    /** How the sweep counts. */
    enum PruningBy {
        /** Thresholds on the mask values. */
        THRESHOLD("threshold"),
        /** Numbers of neurons. */
        NUMBER("number");

        static final List<String> CHOICES = List.of("threshold", "number");
        private final String id;

        PruningBy(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }

        static PruningBy fromId(String id) {
            return "number".equals(id) ? NUMBER : THRESHOLD;
        }
    }
}
