package io.purifier.server.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.server.dispatch.ActiveRun;
import io.purifier.server.dispatch.RunControl;
import io.purifier.server.dispatch.WorkerReports;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Accepts pipelines, validates them, records them as queued runs, and hands them to the run control, which executes
 * each in a worker when the executor has a free slot. Runs can be cancelled while queued or running.
 */
public final class RunService implements WorkerReports.Runs, AutoCloseable {

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
     * @param validator checks pipelines against the installed plugins
     * @param store     the run history
     * @param events    live events
     * @param cache     the attack-once cache (the history recorder checks reported entries against it)
     * @param control   queues runs and executes them in workers
     * @param dataDir   the data directory
     * @param json      the JSON mapper
     * @param capacity  runs that may wait in the queue
     */
    public record Setup(PipelineValidator validator, RunStore store, RunEvents events, AttackCache cache, RunControl control,
                        Path dataDir, ObjectMapper json, int capacity) {
    }

    private final Setup s;
    private final String owner = ownerId();

    private RunService(Setup setup) {
        this.s = setup;
    }

    /** Builds the service; runs are dispatched once {@link #start} gave the server's address. */
    public static RunService create(Setup setup) {
        return new RunService(setup);
    }

    /** Starts handing queued runs to workers, which reach the server at {@code server}. */
    public void start(URI server) {
        s.control().start(server);
    }

    /**
     * Re-attaches the runs whose executor jobs an earlier server process submitted and which are still queued or
     * running in the history (their jobs outlive the server): their pipelines are validated again and their workers
     * watched again. A run whose pipeline no longer validates (a bundle is gone) is failed and its job cancelled.
     *
     * @return how many runs were re-attached
     */
    public int reattach() {
        int count = 0;
        for (RunStore.Detached d : s.store().detached(RunService::ownerAlive)) {
            HistoryRecorder recorder = new HistoryRecorder(d.id(), s.store(), s.events(), s.cache(), s.dataDir());
            ValidatedPipeline pipeline;
            try {
                pipeline = s.validator().validate(s.json().treeToValue(d.spec(), PipelineSpec.class));
            } catch (Exception e) {
                LOG.warn("run {}: its pipeline no longer validates; failing it: {}", d.id(), e.getMessage());
                s.store().adopt(d.id(), owner);
                ActiveRun run = new ActiveRun(d.id(), null, d.user(), 0, recorder, System::nanoTime);
                s.control().abandon(run, d.jobId(), "the server restarted and the run's pipeline no longer validates: "
                        + e.getMessage());
                continue;
            }
            s.store().adopt(d.id(), owner);
            s.control().reattach(new ActiveRun(d.id(), pipeline, d.user(), StepPlans.of(pipeline).size(), recorder,
                    System::nanoTime), d.jobId(), d.runningStep());
            count++;
        }
        return count;
    }

    /** Checks a pipeline without running it. */
    public ValidatedPipeline validate(PipelineSpec spec) {
        return s.validator().validate(spec);
    }

    /**
     * Validates and queues a pipeline.
     *
     * @return the new run's id
     * @throws PipelineInvalidException listing every problem
     * @throws QueueFullException       when the queue is full
     */
    public synchronized long submit(PipelineSpec spec, String user) {
        ValidatedPipeline pipeline = s.validator().validate(spec);
        if (s.control().queued() >= s.capacity()) {
            throw new QueueFullException("the run queue is full (" + s.capacity() + " runs waiting); try again later");
        }
        long runId = s.store().create(pipeline.name(), s.json().valueToTree(spec), pipeline.seed(), user, owner,
                StepPlans.of(pipeline));
        HistoryRecorder recorder = new HistoryRecorder(runId, s.store(), s.events(), s.cache(), s.dataDir());
        recorder.log(null, "INFO", "queued by " + user);
        s.events().publish(new RunEvents.Event("run", runId, Map.of("status", RunStatus.QUEUED.name(), "progress", 0.0)));
        s.control().enqueue(new ActiveRun(runId, pipeline, user, StepPlans.of(pipeline).size(), recorder, System::nanoTime));
        return runId;
    }

    /**
     * Cancels a queued or running run.
     *
     * @return false when the run is not queued or running in this server
     */
    public boolean cancel(long runId, String user) {
        boolean known = s.control().cancel(runId, user);
        if (known) {
            LOG.info("run {}: cancellation requested by {}", runId, user);
        }
        return known;
    }

    @Override
    public Optional<ActiveRun> active(long runId) {
        return s.control().active(runId);
    }

    @Override
    public void finished(ActiveRun run, RunStatus status) {
        s.control().finished(run, status);
    }

    /** Whether a run is queued or running in this server. */
    public boolean isActive(long runId) {
        return s.control().active(runId).isPresent();
    }

    /** How many runs are queued or running. */
    public int activeCount() {
        return s.control().activeCount();
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

    /** Stops every worker; runs queued or running end INTERRUPTED. */
    @Override
    public void close() {
        s.control().close();
    }
}
