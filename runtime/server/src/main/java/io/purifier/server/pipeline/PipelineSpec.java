package io.purifier.server.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * A pipeline as JSON: dataset → model (trained, optionally with an attack, or a stored upload) → defenses in
 * order → metrics, with one seed. See {@code docs/pipelines.md} for the format.
 *
 * @param name     display name (defaults to a summary of the steps)
 * @param seed     the pipeline seed; every step derives its own from it (default 42)
 * @param dataset  the dataset provider and its parameters
 * @param model    where the model comes from
 * @param attack   the attack, or null for none
 * @param defenses the defenses, applied in order (may be empty)
 * @param metrics  the metrics (null or empty: every installed metric)
 * @param limits   optional limits
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineSpec(String name, Long seed, ComponentRef dataset, ModelSource model, ComponentRef attack,
                           List<DefenseStep> defenses, List<ComponentRef> metrics, Limits limits) {

    /**
     * A plugin and its parameters.
     *
     * @param id     plugin id
     * @param params raw parameter values (missing ones take defaults)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentRef(String id, Map<String, Object> params) {
    }

    /**
     * Where the model comes from.
     *
     * @param source       {@code train} (train an architecture from the zoo on the dataset, poisoned by the
     *                     attack if there is one) or {@code stored} (an uploaded model)
     * @param architecture for {@code train}: the zoo architecture and its parameters
     * @param training     for {@code train}: training parameters (optimizer, epochs, ...)
     * @param modelId      for {@code stored}: the id returned by {@code POST /api/models}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelSource(String source, ComponentRef architecture, Map<String, Object> training, String modelId) {
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
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DefenseStep(String id, Map<String, Object> params, DataSpec data, List<String> outputFormats) {

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
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataSpec(Double fraction, ComponentRef dataset) {
    }

    /**
     * Limits.
     *
     * @param stepTimeoutSeconds time limit per step (default from the server configuration)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Limits(Integer stepTimeoutSeconds) {
    }
}
