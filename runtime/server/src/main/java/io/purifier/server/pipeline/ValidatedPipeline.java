package io.purifier.server.pipeline;

import io.purifier.api.defense.DataContract;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.robustness.RetuneConfig;
import io.purifier.server.executor.RunResources;

import java.time.Duration;
import java.util.List;

/**
 * A pipeline checked against the registry and every descriptor, with all parameters resolved.
 *
 * @param name        display name
 * @param seed        pipeline seed
 * @param dataset     dataset provider and parameters
 * @param model       model plan
 * @param attack      attack, or null
 * @param defenses    defense plans in order
 * @param metrics     metrics
 * @param stepTimeout time limit per step
 * @param retune      the retuning attack whose P-ASR every evaluated step records, or null for none
 * @param resources   what the run's worker asks for (CPUs, memory, time limit of the run), each left to the executor
 *                    when the pipeline does not say
 */
public record ValidatedPipeline(String name, long seed, Resolved dataset, ModelPlan model, Resolved attack,
                                List<DefensePlan> defenses, List<Resolved> metrics, Duration stepTimeout,
                                RetuneConfig retune, RunResources resources) {

    /** Defaults the resources. */
    public ValidatedPipeline {
        if (resources == null) {
            resources = RunResources.DEFAULTS;
        }
    }

    /** A pipeline without the retuning attack. */
    public ValidatedPipeline(String name, long seed, Resolved dataset, ModelPlan model, Resolved attack,
                             List<DefensePlan> defenses, List<Resolved> metrics, Duration stepTimeout) {
        this(name, seed, dataset, model, attack, defenses, metrics, stepTimeout, null);
    }

    /** A pipeline with the executor's default resources. */
    public ValidatedPipeline(String name, long seed, Resolved dataset, ModelPlan model, Resolved attack,
                             List<DefensePlan> defenses, List<Resolved> metrics, Duration stepTimeout,
                             RetuneConfig retune) {
        this(name, seed, dataset, model, attack, defenses, metrics, stepTimeout, retune, RunResources.DEFAULTS);
    }

    /**
     * A plugin id with resolved parameters.
     *
     * @param id     plugin id
     * @param params resolved parameters
     */
    public record Resolved(String id, ResolvedParams params) {
    }

    /**
     * Where the model comes from.
     *
     * @param source       "train" or "stored"
     * @param architecture for train: architecture and parameters
     * @param training     for train: training parameters
     * @param modelId      for stored: model id
     */
    public record ModelPlan(String source, Resolved architecture, ResolvedParams training, String modelId) {

        /** Whether the model is trained by the pipeline. */
        public boolean trains() {
            return "train".equals(source);
        }
    }

    /**
     * One defense with its data.
     *
     * @param defense       defense id and parameters
     * @param contract      its declared data contract (at validation time)
     * @param fraction      fraction of the training set to hand over
     * @param oodDataset    another dataset for unlabeled data, or null
     * @param outputFormats the model formats to save the purified model in (installed, able to save); empty: the
     *                      native format, or else the first format that can save it
     */
    public record DefensePlan(Resolved defense, DataContract contract, double fraction, Resolved oodDataset,
                              List<String> outputFormats) {

        /** Copies the formats. */
        public DefensePlan {
            outputFormats = outputFormats == null ? List.of() : List.copyOf(outputFormats);
        }

        /** A plan saving its model in the default format. */
        public DefensePlan(Resolved defense, DataContract contract, double fraction, Resolved oodDataset) {
            this(defense, contract, fraction, oodDataset, List.of());
        }
    }

    /**
     * The fraction of the training set held out (unused by training) for unlabeled in-distribution defenses; 0 when
     * no defense needs it.
     */
    public double heldOutFraction() {
        return defenses.stream()
                .filter(d -> d.contract().kind() == DataContract.Kind.UNLABELED && d.oodDataset() == null)
                .mapToDouble(DefensePlan::fraction).max().orElse(0);
    }
}
