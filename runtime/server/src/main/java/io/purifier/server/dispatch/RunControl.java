package io.purifier.server.dispatch;

import io.purifier.server.executor.ExecutionEnd;
import io.purifier.server.executor.RunExecutor;
import io.purifier.server.executor.WorkerLaunch;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.WorkerTokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Executes queued runs in workers: hands the oldest queued run to the executor whenever it has a free slot (with a
 * fresh worker credential), applies the watchdog's rules once a second, and ends a run whose worker is gone without
 * having reported its final status. The next run starts only after the previous worker is gone, so a run's memory
 * and native work end before the next one begins.
 *
 * <p>Longer than 300 lines because queueing, launching, re-attaching, cancelling and ending a run share one lock and
 * one count of busy slots; split apart, each part would need the others' state.</p>
 */
public final class RunControl implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunControl.class);

    /** How long a shutdown waits for the executor to report its workers gone. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(15);

    private final RunExecutor executor;
    private final RunWatchdog watchdog;
    private final WorkerTokenStore credentials;
    private final Path dataDir;
    private final Map<Long, ActiveRun> active = new ConcurrentHashMap<>();
    private final Deque<ActiveRun> queue = new ArrayDeque<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "purifier-run-watchdog");
        t.setDaemon(true);
        return t;
    });
    private int running;
    private URI server;
    private boolean closing;

    /**
     * @param executor    starts and stops workers
     * @param watchdog    decides when a worker must be stopped
     * @param credentials issues and revokes worker credentials
     * @param dataDir     the data directory (workers' directories and logs go below it)
     */
    public RunControl(RunExecutor executor, RunWatchdog watchdog, WorkerTokenStore credentials, Path dataDir) {
        this.executor = executor;
        this.watchdog = watchdog;
        this.credentials = credentials;
        this.dataDir = dataDir;
    }

    /** Starts dispatching; workers reach the server at {@code serverUrl}. */
    public synchronized void start(URI serverUrl) {
        this.server = serverUrl;
        ticker.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
        dispatch();
    }

    /** How many runs wait for a slot. */
    public synchronized int queued() {
        return queue.size();
    }

    /** How many runs are queued or executing. */
    public int activeCount() {
        return active.size();
    }

    /** The queued or executing run {@code runId}. */
    public Optional<ActiveRun> active(long runId) {
        return Optional.ofNullable(active.get(runId));
    }

    /** Queues {@code run}; it starts as soon as a slot is free. */
    public synchronized void enqueue(ActiveRun run) {
        active.put(run.runId(), run);
        if (closing) {
            end(run, RunStatus.INTERRUPTED, "the server shut down before this run started");
            active.remove(run.runId());
            return;
        }
        queue.add(run);
        dispatch();
    }

    /**
     * Cancels run {@code runId}: a queued run ends at once; an executing run's worker is told with its next report and
     * killed when it has not stopped within the cancel grace; a worker that has not reported yet (a job still waiting
     * for a node, a process still starting) is stopped at once.
     *
     * @return false when the run is not queued or executing
     */
    public boolean cancel(long runId, String user) {
        ActiveRun run = active.get(runId);
        if (run == null) {
            return false;
        }
        String reason = "cancelled by " + user;
        synchronized (this) {
            if (queue.remove(run)) {
                run.recorder().log(null, "WARN", "cancellation requested by " + user);
                end(run, RunStatus.CANCELLED, reason + " before it started");
                active.remove(runId);
                return true;
            }
        }
        boolean started;
        synchronized (run) {
            if (run.state() == ActiveRun.State.FINISHED) {
                return false;
            }
            run.cancel(reason);
            started = run.reported();
        }
        run.recorder().log(null, "WARN", "cancellation requested by " + user);
        if (!started) {
            executor.kill(runId);
        }
        return true;
    }

    /** Records that {@code run}'s worker reported its final status (called with the run's lock held). */
    public void finished(ActiveRun run, RunStatus status) {
        run.finished(status);
    }

    private synchronized void dispatch() {
        while (!closing && server != null && running < executor.slots() && !queue.isEmpty()) {
            launch(queue.poll());
        }
    }

    /** Hands {@code run} to the executor (called with this object's lock held). */
    private void launch(ActiveRun run) {
        long runId = run.runId();
        running++;
        run.launched();
        try {
            String credential = credentials.issue(runId, Instant.now().plus(credentialLifetime(run)));
            Path runDir = dataDir.resolve("runs").resolve(Long.toString(runId));
            WorkerLaunch launch = new WorkerLaunch(runId, server, credential, dataDir.resolve("workers").resolve(Long.toString(runId)),
                    runDir.resolve("worker.log"), credentialLifetime(run), run.pipeline().resources());
            String where = executor.launch(launch, end -> ended(run, end));
            executor.jobId(runId).ifPresent(job -> run.recorder().executorJob(job));
            run.recorder().log(null, "INFO", "handed to " + where + " (its log: runs/" + runId + "/worker.log)");
        } catch (Exception e) {
            LOG.error("run {}: could not start its worker", runId, e);
            running--;
            credentials.revoke(runId);
            end(run, RunStatus.FAILED, "could not start a worker for this run: " + e.getMessage());
            active.remove(runId);
        }
    }

    /**
     * Watches again {@code run}, whose worker an earlier server process started as executor job {@code jobId} and
     * which may still run (its credential is still valid); {@code runningStep} is its step that was running, or -1.
     */
    public synchronized void reattach(ActiveRun run, String jobId, int runningStep) {
        long runId = run.runId();
        active.put(runId, run);
        running++;
        run.launched();
        if (runningStep >= 0) {
            run.stepStarted(runningStep);
        }
        try {
            Path log = dataDir.resolve("runs").resolve(Long.toString(runId)).resolve("worker.log");
            String where = executor.reattach(runId, jobId, log, end -> ended(run, end));
            run.recorder().log(null, "INFO", "the server restarted; watching " + where + " again");
        } catch (Exception e) {
            LOG.error("run {}: could not re-attach its worker", runId, e);
            running--;
            credentials.revoke(runId);
            end(run, RunStatus.INTERRUPTED, "the server restarted and could not watch its worker again: " + e.getMessage());
            active.remove(runId);
        }
    }

    /** Fails {@code run}, left by an earlier server as executor job {@code jobId}, for {@code reason} and stops its job. */
    public void abandon(ActiveRun run, String jobId, String reason) {
        credentials.revoke(run.runId());
        end(run, RunStatus.FAILED, reason);
        try {
            Path log = dataDir.resolve("runs").resolve(Long.toString(run.runId())).resolve("worker.log");
            executor.reattach(run.runId(), jobId, log, end -> LOG.info("run {}: its abandoned job ended", run.runId()));
            executor.kill(run.runId());
        } catch (Exception e) {
            LOG.warn("run {}: could not stop its job {}: {}", run.runId(), jobId, e.toString());
        }
    }

    /** A credential outlives the run: its pipeline's time limit, or else every step's, with an hour for starting and reporting. */
    static Duration credentialLifetime(ActiveRun run) {
        long stepSeconds = Math.min(run.pipeline().stepTimeout().toSeconds(), Duration.ofDays(7).toSeconds());
        Duration derived = Duration.ofSeconds(stepSeconds * Math.max(1, run.steps())).plus(Duration.ofHours(1));
        return run.pipeline().resources().requestedTimeLimit().map(limit -> limit.plus(Duration.ofHours(1))).orElse(derived);
    }

    /** The worker of {@code run} is gone. */
    private void ended(ActiveRun run, ExecutionEnd end) {
        try {
            if (run.state() != ActiveRun.State.FINISHED) {
                boolean shuttingDown;
                synchronized (this) {
                    shuttingDown = closing;
                }
                RunEndings.Ending ending = RunEndings.of(run, end, shuttingDown);
                if (!shuttingDown && run.cancelReason() == null) {
                    end.lastLogLines().forEach(line -> run.recorder().log(null, "WARN", "worker log: " + line));
                }
                synchronized (run) {
                    int step = run.runningStep();
                    if (step >= 0 && run.state() != ActiveRun.State.FINISHED) {
                        run.recorder().stepFinished(step, ending.stepStatus(), ending.error(), null);
                        run.stepEnded();
                    }
                }
                end(run, ending.status(), ending.error());
            }
        } catch (RuntimeException e) {
            LOG.error("run {}: recording the end of its worker failed", run.runId(), e);
        } finally {
            credentials.revoke(run.runId());
            active.remove(run.runId());
            synchronized (this) {
                running--;
                notifyAll();
                dispatch();
            }
        }
    }

    /** Records the end of {@code run} unless its final status is recorded already. */
    private static void end(ActiveRun run, RunStatus status, String error) {
        synchronized (run) {
            if (run.state() == ActiveRun.State.FINISHED) {
                return;
            }
            run.recorder().log(null, status == RunStatus.SUCCEEDED ? "INFO" : "WARN",
                    "run " + status.name().toLowerCase() + ": " + error);
            run.recorder().runFinished(status, error);
            run.finished(status);
        }
    }

    /** Applies the watchdog's rules to every active run (the ticker calls it once a second). */
    void watch() {
        for (ActiveRun run : active.values()) {
            try {
                if (executor.waitingToStart(run.runId())) {
                    run.waitingToStart();
                }
                watchdog.reasonToKill(run).ifPresent(reason -> {
                    if (run.killReason() == null) {
                        LOG.warn("run {}: {}", run.runId(), reason);
                    }
                    run.killed(reason);
                    executor.kill(run.runId());
                });
            } catch (RuntimeException e) {
                LOG.error("run {}: watchdog check failed", run.runId(), e);
            }
        }
    }

    /**
     * Stops dispatching and every worker; runs queued or executing end INTERRUPTED. When the executor's workers
     * outlive the server (Slurm jobs), executing runs are left running, with their credentials, for the next server to
     * re-attach.
     */
    @Override
    public void close() {
        List<ActiveRun> waiting;
        synchronized (this) {
            closing = true;
            waiting = new ArrayList<>(queue);
            queue.clear();
        }
        ticker.shutdownNow();
        for (ActiveRun run : waiting) {
            end(run, RunStatus.INTERRUPTED, "the server shut down before this run started");
            active.remove(run.runId());
        }
        if (executor.workersOutliveServer()) {
            executor.close();
            for (ActiveRun run : List.copyOf(active.values())) {
                if (run.state() != ActiveRun.State.FINISHED) {
                    run.recorder().log(null, "INFO", "the server stopped; the run's job goes on and the next server "
                            + "watches it again");
                    run.recorder().released();
                }
                active.remove(run.runId());
            }
            return;
        }
        executor.close();
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        synchronized (this) {
            while (running > 0 && System.nanoTime() < deadline) {
                try {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (ActiveRun run : List.copyOf(active.values())) {
            end(run, RunStatus.INTERRUPTED, "the server shut down before this run finished");
            credentials.revoke(run.runId());
            active.remove(run.runId());
        }
    }
}
