package io.purifier.server.pipeline;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.purifier.server.schema.SchemaBounds;

import java.util.List;
import java.util.Map;

/**
 * A pipeline as JSON: dataset → model (trained, optionally with an attack, or a stored upload) → defenses in
 * order → metrics, with one seed. These records are the one definition of the format: their annotations (names,
 * required members, defaults, bounds, descriptions) are the JSON Schema that {@link PipelineSchema} generates,
 * the server publishes ({@code GET /api/pipelines/schema}), checks every pipeline against, and that is committed
 * as {@code docs/pipeline.schema.json}.
 *
 * @param name     display name
 * @param seed     the pipeline seed
 * @param dataset  the dataset provider and its parameters
 * @param model    where the model comes from
 * @param attack   the attack, or null for none
 * @param defenses the defenses, applied in order (may be empty)
 * @param metrics  the metrics (null or empty: every installed metric)
 * @param limits   optional limits
 * @param robustness optional post-purification robustness measurement (the retuning attack's P-ASR)
 * @param resources  optional resources of the run's worker (CPUs, memory, time limit); left out: the executor's
 *                   defaults
 */
@JsonClassDescription("A purification pipeline: dataset -> attack (optional) -> model -> defenses in order, evaluated "
        + "by metrics after the model step and after every defense. POST /api/runs and `purifier run FILE` take it; "
        + "plugin ids and their parameters are listed by GET /api/components (parameters by GET /api/architectures "
        + "for the model zoo). A member set to null counts as left out.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineSpec(
        @JsonPropertyDescription("Display name; defaults to a summary such as 'badnets on fashion-mnist / small-cnn → npd'.")
        @SchemaBounds(maxLength = 200)
        String name,
        @JsonProperty(defaultValue = "42")
        @JsonPropertyDescription("The pipeline seed. Every step derives its own seed from it and its position, so a "
                + "pipeline repeats exactly.")
        @SchemaBounds(minimum = "0", maximum = "9223372036854775807")
        Long seed,
        @JsonProperty(required = true)
        @JsonPropertyDescription("The dataset plugin and its parameters (GET /api/components?kind=dataset).")
        ComponentRef dataset,
        @JsonProperty(required = true)
        @JsonPropertyDescription("Where the model comes from: trained from the zoo on the dataset, or an uploaded model.")
        ModelSource model,
        @JsonPropertyDescription("Optional attack plugin (GET /api/components?kind=attack). With a trained model it "
                + "poisons the training data; with a stored model it only builds the poisoned test set, so the ASR of "
                + "an uploaded model can be measured under that trigger.")
        ComponentRef attack,
        @JsonPropertyDescription("Defenses applied in order (GET /api/components?kind=defense). Each gets exactly the "
                + "data its contract declares; no defense ever sees the poisoned test set.")
        List<DefenseStep> defenses,
        @JsonPropertyDescription("Metrics evaluated after the model step (the baseline) and after every defense; "
                + "empty or left out: every installed metric (GET /api/components?kind=metric).")
        List<ComponentRef> metrics,
        @JsonPropertyDescription("Optional limits.")
        Limits limits,
        @JsonPropertyDescription("Optional post-purification robustness: after its metrics, every defense step (and the "
                + "model step, for reference) fine-tunes a copy of its model on a small retuning set with a share of "
                + "the attack's poisoned training samples and records the ASR and C-ACC of the copy as P-ASR and "
                + "P-C-ACC. Needs an attack.")
        Robustness robustness,
        @JsonPropertyDescription("Optional resources of the run's worker process: CPUs, memory and a time limit for the "
                + "whole run. With executor=slurm they are the job's --cpus-per-task, --mem and --time; with the local "
                + "executor the worker gets that many threads, its native memory is capped at the memory, and the run "
                + "is stopped at the time limit. A member left out takes the executor's default "
                + "(conf/purifier.properties).")
        Resources resources) {

    /** A pipeline without the robustness measurement. */
    public PipelineSpec(String name, Long seed, ComponentRef dataset, ModelSource model, ComponentRef attack,
                        List<DefenseStep> defenses, List<ComponentRef> metrics, Limits limits) {
        this(name, seed, dataset, model, attack, defenses, metrics, limits, null, null);
    }

    /** A pipeline with the executor's default resources. */
    public PipelineSpec(String name, Long seed, ComponentRef dataset, ModelSource model, ComponentRef attack,
                        List<DefenseStep> defenses, List<ComponentRef> metrics, Limits limits, Robustness robustness) {
        this(name, seed, dataset, model, attack, defenses, metrics, limits, robustness, null);
    }

    /**
     * A plugin and its parameters.
     *
     * @param id     plugin id
     * @param params raw parameter values (missing ones take defaults)
     */
    @JsonClassDescription("A plugin and its parameters.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentRef(
            @JsonProperty(required = true)
            @JsonPropertyDescription("The plugin id (or, for model.architecture, the zoo architecture id).")
            String id,
            @JsonPropertyDescription("Parameter values by name, checked against the plugin's parameter descriptor; "
                    + "missing ones take their defaults.")
            Map<String, Object> params) {
    }

    /**
     * Where the model comes from.
     *
     * @param source       train or stored
     * @param architecture for {@code train}: the zoo architecture and its parameters
     * @param training     for {@code train}: training parameters
     * @param modelId      for {@code stored}: the id returned by {@code POST /api/models}
     */
    @JsonClassDescription("Where the model comes from: {\"source\": \"train\", \"architecture\": {...}, \"training\": {...}} "
            + "or {\"source\": \"stored\", \"modelId\": \"m-...\"}.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelSource(
            @JsonProperty(required = true)
            @JsonPropertyDescription("train: train a zoo architecture on the dataset (on the attack's poisoned data if "
                    + "there is an attack); stored: use an uploaded model.")
            Source source,
            @JsonPropertyDescription("For source train: the zoo architecture and its parameters (GET /api/architectures).")
            ComponentRef architecture,
            @JsonPropertyDescription("For source train: training parameters (GET /api/architectures, 'training').")
            Map<String, Object> training,
            @JsonPropertyDescription("For source stored: the id returned by POST /api/models.")
            String modelId) {

        /** Whether the model is trained or an upload. */
        public enum Source {
            /** Trained from the zoo on the dataset. */
            @JsonProperty("train") TRAIN,
            /** An uploaded model. */
            @JsonProperty("stored") STORED
        }
    }

    /**
     * One defense step.
     *
     * @param id            defense id
     * @param params        raw parameter values
     * @param data          optional data settings (fraction, out-of-distribution source)
     * @param outputFormats model formats the purified model is saved in, as step artifacts (for example
     *                      {@code ["native", "onnx"]}); null or empty: the native format
     */
    @JsonClassDescription("One defense step.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DefenseStep(
            @JsonProperty(required = true)
            @JsonPropertyDescription("The defense id.")
            String id,
            @JsonPropertyDescription("Parameter values by name; missing ones take their defaults.")
            Map<String, Object> params,
            @JsonPropertyDescription("What data the defense gets, within its declared data contract.")
            DataSpec data,
            @JsonPropertyDescription("Model formats the purified model is saved in, as step artifacts "
                    + "purified-model.<extension> (for example [\"native\", \"onnx\"]); each an installed format that "
                    + "can save (GET /api/components?kind=model-format), listed once. Left out: the native format.")
            List<String> outputFormats) {

        /** A step saving its model in the default format. */
        public DefenseStep(String id, Map<String, Object> params, DataSpec data) {
            this(id, params, data, null);
        }
    }

    /**
     * What data a defense gets, within its declared contract.
     *
     * @param fraction fraction of the training set (default: the defense's contract default)
     * @param dataset  for unlabeled contracts that allow it: another dataset to draw unlabeled images from
     */
    @JsonClassDescription("What data a defense gets, within its declared data contract: labeled clean data (a "
            + "class-balanced fraction of the clean training set), unlabeled held-out images (the fraction is held out "
            + "before training), or unlabeled images of another dataset.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataSpec(
            @JsonPropertyDescription("Fraction of the training set; default: the defense's contract default.")
            @SchemaBounds(exclusiveMinimum = "0", maximum = "1")
            Double fraction,
            @JsonPropertyDescription("For defenses taking unlabeled data that allow it: another dataset to draw the "
                    + "images from, resized and channel-converted to the model's input.")
            ComponentRef dataset) {
    }

    /**
     * Limits.
     *
     * @param stepTimeoutSeconds time limit per step (default from the server configuration)
     */
    @JsonClassDescription("Limits of a run.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Limits(
            @JsonPropertyDescription("Time limit per step in seconds (at most 7 days); default from "
                    + "conf/purifier.properties.")
            @SchemaBounds(minimum = "1", maximum = "604800")
            Integer stepTimeoutSeconds) {
    }

    /**
     * Post-purification robustness settings.
     *
     * @param retune the retuning attack
     */
    @JsonClassDescription("Post-purification robustness (Min et al., NeurIPS 2024): measures whether a defense removed "
            + "the backdoor or only hid it.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Robustness(
            @JsonProperty(required = true)
            @JsonPropertyDescription("The retuning attack: fine-tune a copy of each step's model on a retuning set drawn "
                    + "(with the pipeline seed) from the attack's poisoned training set; {} takes every default.")
            Retune retune) {
    }

    /**
     * The retuning attack's setting; a member left out takes its default.
     *
     * @param images       size of the retuning set
     * @param poisonRatio  share of poisoned samples in it
     * @param epochs       fine-tuning epochs
     * @param learningRate SGD learning rate (constant)
     * @param momentum     SGD momentum
     * @param batchSize    images per step
     */
    @JsonClassDescription("The retuning attack: plain SGD fine-tuning of every parameter, no augmentation.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Retune(
            @JsonProperty(defaultValue = "500")
            @JsonPropertyDescription("Images in the retuning set, drawn from the attack's training set.")
            @SchemaBounds(minimum = "2", maximum = "100000")
            Integer images,
            @JsonProperty(defaultValue = "0.1")
            @JsonPropertyDescription("Share of poisoned samples (with trigger and attack label) in the retuning set.")
            @SchemaBounds(exclusiveMinimum = "0", maximum = "1")
            Double poisonRatio,
            @JsonProperty(defaultValue = "5")
            @JsonPropertyDescription("Fine-tuning epochs.")
            @SchemaBounds(minimum = "1", maximum = "1000")
            Integer epochs,
            @JsonProperty(defaultValue = "0.01")
            @JsonPropertyDescription("SGD learning rate (constant).")
            @SchemaBounds(exclusiveMinimum = "0", maximum = "10")
            Double learningRate,
            @JsonProperty(defaultValue = "0.9")
            @JsonPropertyDescription("SGD momentum.")
            @SchemaBounds(minimum = "0", maximum = "0.999")
            Double momentum,
            @JsonProperty(defaultValue = "64")
            @JsonPropertyDescription("Images per step.")
            @SchemaBounds(minimum = "2", maximum = "4096")
            Integer batchSize) {
    }

    /**
     * The resources a run's worker asks for; a member left out takes the executor's default.
     *
     * @param cpus             CPU cores (threads of the worker)
     * @param memoryMegabytes  memory of the worker process in MiB (heap and native memory)
     * @param timeLimitMinutes time limit of the whole run in minutes
     */
    @JsonClassDescription("Resources of the run's worker; a member left out takes the executor's default.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resources(
            @JsonPropertyDescription("CPU cores for the worker: Slurm's --cpus-per-task, or the local worker's thread "
                    + "count (at most this machine's processors).")
            @SchemaBounds(minimum = "1", maximum = "1024")
            Integer cpus,
            @JsonPropertyDescription("Memory of the worker process in MiB, heap and native memory together: Slurm's "
                    + "--mem, or the local worker's cap (at most this machine's memory).")
            @SchemaBounds(minimum = "1024", maximum = "16777216")
            Integer memoryMegabytes,
            @JsonPropertyDescription("Time limit of the whole run in minutes (at most 30 days): Slurm's --time; the "
                    + "server stops a run that passes it with either executor. Left out: the number of steps times "
                    + "the step time limit, plus an hour.")
            @SchemaBounds(minimum = "1", maximum = "43200")
            Integer timeLimitMinutes) {
    }
}
