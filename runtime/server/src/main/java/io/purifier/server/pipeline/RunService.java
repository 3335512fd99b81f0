package io.purifier.server.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.server.run.PipelineRunner;
import io.purifier.server.run.RunEnvironment;
import io.purifier.server.run.RunJob;
import io.purifier.server.store.RunRecords;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts pipelines, validates them, records them as queued runs and executes them on a bounded queue with a
 * fixed number of executor threads (one by default). Runs can be cancelled while queued or running.
 */
public final class RunService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunService.class);

    /** The run queue is full. */
    public static final class QueueFullException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QueueFullException(String message) {
            super(message);
        }
    }

    /**
     * What the run service is built from.
     *
     * @param validator   checks pipelines against the installed plugins
     * @param environment what the pipeline runner needs (plugins, trainer, cache, stored models, data roots, ...)
     * @param store       the run history
     * @param events      live events
     * @param cache       the attack-once cache
     * @param dataDir     the data directory
     * @param json        the JSON mapper
     * @param threads     runs executed at once
     * @param capacity    runs that may wait in the queue
     */
    public record Setup(PipelineValidator validator, RunEnvironment environment, RunStore store, RunEvents events,
                        AttackCache cache, Path dataDir, ObjectMapper json, int threads, int capacity) {
    }

    private final Setup setup;
    private final PipelineValidator validator;
    private final PipelineRunner runner;
    private final RunStore store;
    private final RunEvents events;
    private final ObjectMapper json;
    private final ThreadPoolExecutor executor;
    private final int capacity;
    private final Map<Long, RunJob> active = new ConcurrentHashMap<>();
    private final String owner = ownerId();

    private RunService(Setup setup) {
        this.setup = setup;
        this.validator = setup.validator();
        this.runner = new PipelineRunner(setup.environment());
        this.store = setup.store();
        this.events = setup.events();
        this.json = setup.json();
        this.capacity = setup.capacity();
        int threads = setup.threads();
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(capacity),
                r -> {
                    Thread t = new Thread(r, "purifier-run-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Builds the service and starts its executor threads. */
    public static RunService create(Setup setup) {
        return new RunService(setup);
    }

    /** Checks a pipeline without running it. */
    public ValidatedPipeline validate(PipelineSpec spec) {
        return validator.validate(spec);
    }

    /**
     * Validates and queues a pipeline.
     *
     * @return the new run's id
     * @throws PipelineInvalidException listing every problem
     * @throws QueueFullException       when the queue is full
     */
    public synchronized long submit(PipelineSpec spec, String user) {
        ValidatedPipeline pipeline = validator.validate(spec);
        if (executor.getQueue().remainingCapacity() == 0) {
            throw new QueueFullException("the run queue is full (" + capacity + " runs waiting); try again later");
        }
        long runId = store.create(pipeline.name(), json.valueToTree(spec), pipeline.seed(), user, owner, StepPlans.of(pipeline));
        RunJob job = new RunJob(runId, pipeline, user);
        active.put(runId, job);
        store.log(runId, null, "INFO", "queued by " + user);
        events.publish(new RunEvents.Event("run", runId, Map.of("status", RunStatus.QUEUED.name(), "progress", 0.0)));
        executor.execute(() -> execute(job));
        return runId;
    }

    private void execute(RunJob job) {
        try {
            if (job.cancelReason() != null) {
                return;
            }
            runner.run(job, new HistoryRecorder(job.runId(), store, events, setup.cache(), setup.dataDir()));
        } catch (RuntimeException | Error e) {
            LOG.error("run {} crashed in the host", job.runId(), e);
            store.finished(job.runId(), RunStatus.FAILED, "internal error: " + e);
        } finally {
            active.remove(job.runId());
        }
    }

    /**
     * Cancels a queued or running run.
     *
     * @return false when the run is not queued or running in this server
     */
    public boolean cancel(long runId, String user) {
        RunJob job = active.get(runId);
        if (job == null) {
            return false;
        }
        Optional<RunRecords.RunSummary> summary = store.summary(runId);
        job.cancel("cancelled by " + user);
        if (summary.isPresent() && summary.get().status() == RunStatus.QUEUED) {
            store.finished(runId, RunStatus.CANCELLED, "cancelled by " + user + " before it started");
            events.publish(new RunEvents.Event("run", runId, Map.of("status", RunStatus.CANCELLED.name())));
        }
        store.log(runId, null, "WARN", "cancellation requested by " + user);
        return true;
    }

    /** Whether a run is queued or running in this server. */
    public boolean isActive(long runId) {
        return active.containsKey(runId);
    }

    /** How many runs are queued or running. */
    public int activeCount() {
        return active.size();
    }

    /** This process's owner id as stored on runs: {@code pid@start-instant}. */
    public static String ownerId() {
        ProcessHandle self = ProcessHandle.current();
        return self.pid() + "@" + self.info().startInstant().map(Instant::toString).orElse("?");
    }

    /** Whether the process named by an owner id is still alive (same pid and start instant). */
    public static boolean ownerAlive(String ownerId) {
        int at = ownerId.indexOf('@');
        if (at <= 0) {
            return false;
        }
        try {
            long pid = Long.parseLong(ownerId.substring(0, at));
            String start = ownerId.substring(at + 1);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(p -> p.info().startInstant().map(Instant::toString).orElse("?").equals(start))
                    .orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Cancels every run, waits up to 15 s for running steps to stop, and marks the rest interrupted. */
    @Override
    public void close() {
        active.values().forEach(job -> job.cancel(RunJob.SHUTDOWN));
        executor.shutdown();
        try {
            if (!executor.awaitTermination(15, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Long runId : active.keySet()) {
            store.finished(runId, RunStatus.INTERRUPTED, "the server shut down before this run finished");
        }
    }
}
