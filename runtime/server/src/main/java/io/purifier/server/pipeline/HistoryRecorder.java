package io.purifier.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.purifier.api.metric.MetricValue;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.run.RunRecorder;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.RunStore;
import io.purifier.server.store.StepStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's {@link RunRecorder} for one run: writes the history rows (H2) and publishes the live events (SSE)
 * that the web UI and API clients see. Whatever executes the run, its reports end here.
 */
public final class HistoryRecorder implements RunRecorder {

    /** A step's progress is written to the database at most this often (events are published every time). */
    private static final long PROGRESS_WRITE_NANOS = 500_000_000L;

    private final long runId;
    private final RunStore store;
    private final RunEvents events;
    private final AttackCache cache;
    private final Path dataDir;
    private final Map<Integer, Long> lastProgressWrite = new ConcurrentHashMap<>();

    /**
     * @param runId   the run
     * @param store   the run history
     * @param events  live events
     * @param cache   the attack-once cache (to check reported entries)
     * @param dataDir the data directory; artifact files must lie under it
     */
    public HistoryRecorder(long runId, RunStore store, RunEvents events, AttackCache cache, Path dataDir) {
        this.runId = runId;
        this.store = store;
        this.events = events;
        this.cache = cache;
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** Stores the executor's id of the run's worker (a Slurm job id), so a restarted server can re-attach it. */
    public void executorJob(String jobId) {
        store.executorJob(runId, jobId);
    }

    /** The server stops while the run's job goes on: the next server to start re-attaches it. */
    public void released() {
        store.adopt(runId, null);
    }

    @Override
    public void runStarted(JsonNode provenance) {
        store.started(runId, provenance);
        publishRun(RunStatus.RUNNING, null);
    }

    @Override
    public void provenance(JsonNode provenance) {
        store.provenance(runId, provenance);
    }

    @Override
    public void runProgress(double progress, int step, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", RunStatus.RUNNING.name());
        data.put("progress", progress);
        data.put("step", step);
        publish("run", data);
        store.progress(runId, progress, message);
    }

    @Override
    public void stepStarted(int step, JsonNode params, BundleIdentity bundle) {
        store.stepStarted(runId, step, params, bundle == null ? null : bundle.symbolicName(),
                bundle == null ? null : bundle.version(), bundle == null ? null : bundle.sha256());
        publishStep(step, StepStatus.RUNNING, null);
    }

    @Override
    public void stepProgress(int step, double fraction, String message) {
        long now = System.nanoTime();
        Long last = lastProgressWrite.get(step);
        if (last == null || now - last > PROGRESS_WRITE_NANOS || fraction >= 1) {
            lastProgressWrite.put(step, now);
            store.stepProgress(runId, step, fraction, message);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", step);
        data.put("progress", fraction);
        data.put("message", message);
        publish("step", data);
    }

    @Override
    public void stepFinished(int step, StepStatus status, String error, JsonNode summary) {
        store.stepFinished(runId, step, status, error, summary);
        publishStep(step, status, error);
    }

    @Override
    public void log(Integer step, String level, String message) {
        long seq = store.log(runId, step, level, message);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("seq", seq);
        data.put("at", Instant.now().toString());
        data.put("step", step);
        data.put("level", level);
        data.put("message", message);
        publish("log", data);
    }

    @Override
    public void curvePoint(int step, String series, double x, double y) {
        store.curvePoint(runId, step, series, x, y);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", step);
        data.put("series", series);
        data.put("x", x);
        data.put("y", y);
        publish("curve", data);
    }

    @Override
    public void metrics(int step, String metricId, List<MetricValue> values) {
        store.metrics(runId, step, metricId, values);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", step);
        data.put("metric", metricId);
        data.put("values", values);
        publish("metric", data);
    }

    /** Records {@code file}, which must lie under the data directory; a file that cannot be read is a warning. */
    @Override
    public void artifact(int step, String name, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!absolute.startsWith(dataDir)) {
            log(step, "WARN", "artifact " + name + " is outside the data directory and was not recorded");
            return;
        }
        try {
            store.artifact(runId, step, name, dataDir.relativize(absolute).toString(), Files.size(absolute),
                    BundleIdentity.sha256(absolute));
        } catch (IOException | RuntimeException e) {
            log(step, "WARN", "could not record artifacts: " + e.getMessage());
        }
    }

    /**
     * Checks that the reported entry is visible in this server's cache directory; when it is not, the run log says
     * that the server and the process that ran the step do not share the cache directory.
     */
    @Override
    public void cacheEntry(int step, String key, String description) {
        if (cache.file(key, AttackCache.META_FILE).isEmpty()) {
            log(step, "WARN", "the attack cache entry " + key + " (" + description + ") is not in this server's cache "
                    + "directory: the server and its workers must share the configured cache directory");
        }
    }

    @Override
    public void runFinished(RunStatus status, String error) {
        store.finished(runId, status, error);
        publishRun(status, error);
    }

    private void publishRun(RunStatus status, String error) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", status.name());
        if (status == RunStatus.SUCCEEDED) {
            data.put("progress", 1.0);
        }
        if (error != null) {
            data.put("error", error);
        }
        publish("run", data);
    }

    private void publishStep(int step, StepStatus status, String error) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", step);
        data.put("status", status.name());
        if (error != null) {
            data.put("error", error);
        }
        publish("step", data);
    }

    private void publish(String type, Map<String, Object> data) {
        events.publish(new RunEvents.Event(type, runId, data));
    }
}
