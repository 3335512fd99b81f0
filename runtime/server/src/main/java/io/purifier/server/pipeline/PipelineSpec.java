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
        Limits limits) {

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
     * @param id     defense id
     * @param params raw parameter values
     * @param data   optional data settings (fraction, out-of-distribution source)
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
            DataSpec data) {
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
}
