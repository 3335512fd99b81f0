package io.purifier.server.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.purifier.api.metric.MetricValue;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.StepStatus;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything one run produces, reported as it happens. The pipeline runner reports only through this interface,
 * so where a run executes (a worker process on this machine, a cluster node, or the server itself in tests) does
 * not change what the history and the live events show.
 *
 * <p>Implementations: {@code HistoryRecorder} writes H2 rows and publishes SSE events in the server;
 * {@code HttpRecorder} sends batches of these calls from a worker process to the server, which hands them to a
 * {@code HistoryRecorder}. Calls come from the run thread and from the running step's threads.</p>
 */
public interface RunRecorder {

    /** The run left the queue and its first step is about to start; {@code provenance} is the record so far. */
    void runStarted(JsonNode provenance);

    /** The run's provenance record grew (it gains an entry per step); replaces the stored record. */
    void provenance(JsonNode provenance);

    /**
     * The run's overall progress.
     *
     * @param progress in [0, 1], weighted by the expected cost of each step
     * @param step     the running step
     * @param message  short status such as "step 3/4"
     */
    void runProgress(double progress, int step, String message);

    /**
     * A step started.
     *
     * @param step   its index
     * @param params its resolved parameters
     * @param bundle the bundle of its plugin, or null for steps without one (training a zoo model)
     */
    void stepStarted(int step, JsonNode params, BundleIdentity bundle);

    /** A step's own progress in [0, 1] with a short message (for example "epoch 3/10"). */
    void stepProgress(int step, double fraction, String message);

    /**
     * A step ended.
     *
     * @param status  SUCCEEDED, FAILED or CANCELLED
     * @param error   why it failed or was cancelled, or null
     * @param summary facts about its result (sizes, cache key, the plugin's summary), or null
     */
    void stepFinished(int step, StepStatus status, String error, JsonNode summary);

    /**
     * A log line.
     *
     * @param step  the step it belongs to, or null for a run-level line
     * @param level INFO, WARN or ERROR
     */
    void log(Integer step, String level, String message);

    /** One point of a step's curve (series names group with a slash: "loss/L1"). Values are finite. */
    void curvePoint(int step, String series, double x, double y);

    /** The values one metric produced for the model of a step. */
    void metrics(int step, String metricId, List<MetricValue> values);

    /**
     * A file the step produced (trigger picture, purified model).
     *
     * @param name its name relative to the step's artifact directory ({@code /}-separated)
     * @param file where it is now
     */
    void artifact(int step, String name, Path file);

    /**
     * A trained model was stored in the attack-once cache (written atomically under the configured cache directory).
     *
     * @param key         the entry's content key
     * @param description what was trained, for people
     */
    void cacheEntry(int step, String key, String description);

    /** The run ended; nothing is reported after this. {@code error} is null when it succeeded. */
    void runFinished(RunStatus status, String error);
}
