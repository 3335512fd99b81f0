package io.purifier.server.dispatch;

import io.purifier.server.executor.ExecutorSettings;

import java.time.Duration;
import java.util.Optional;

/**
 * The server's rules for stopping a worker that does not stop by itself: a cancelled run whose worker is still
 * there after the cancel grace; a worker that has not reported for the heartbeat time-out (counted from its launch,
 * or from the last moment its executor said the scheduler still held it: a Slurm job may wait for a node as long as
 * it must); a step that runs past its time limit plus the worker's own grace for stopping it; a run that runs past
 * the time limit its pipeline sets
 * ({@code resources.timeLimitMinutes}, counted from the worker's first report, as a scheduler counts a job's time
 * from its start). The run service checks every active run once a second and
 * has the executor kill the worker when a rule says so.
 */
public final class RunWatchdog {

    /** How long after its final report a worker may take to exit. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(30);

    private final Duration cancelGrace;
    private final Duration heartbeatTimeout;
    private final Duration stepSlack;

    /**
     * @param settings  the executor settings (cancel grace, heartbeat time-out)
     * @param stepSlack how long past its time limit a step may run before the server stops its worker: the worker's own
     *                  grace for a step that ignores cancellation, plus a margin
     */
    public RunWatchdog(ExecutorSettings settings, Duration stepSlack) {
        this.cancelGrace = settings.cancelGrace();
        this.heartbeatTimeout = settings.heartbeatTimeout();
        this.stepSlack = stepSlack;
    }

    /** Why the worker of {@code run} must be stopped now, if it must. */
    public Optional<String> reasonToKill(ActiveRun run) {
        switch (run.state()) {
            case QUEUED:
                return Optional.empty();
            case FINISHED:
                return run.nanosSinceContact() > EXIT_GRACE.toNanos()
                        ? Optional.of("its worker did not exit within " + EXIT_GRACE.toSeconds() + " s of its final report")
                        : Optional.empty();
            default:
                break;
        }
        long sinceCancel = run.nanosSinceCancel();
        if (sinceCancel > cancelGrace.toNanos()) {
            return Optional.of(run.cancelReason() + "; its worker did not stop within " + cancelGrace.toSeconds()
                    + " s and was killed");
        }
        if (run.nanosSinceContact() > heartbeatTimeout.toNanos()) {
            return Optional.of("its worker sent no report for " + heartbeatTimeout.toSeconds() + " s and was killed");
        }
        Optional<Duration> runLimit = run.pipeline().resources().requestedTimeLimit();
        if (runLimit.isPresent() && run.nanosSinceStart() > runLimit.get().toNanos()) {
            return Optional.of("the run ran past its time limit of " + runLimit.get().toMinutes()
                    + " min (resources.timeLimitMinutes); its worker was killed");
        }
        long inStep = run.nanosInStep();
        Duration limit = run.pipeline().stepTimeout();
        if (inStep > limit.plus(stepSlack).toNanos()) {
            return Optional.of("step " + (run.runningStep() + 1) + " ran past its time limit of " + limit.toSeconds()
                    + " s and its worker did not stop it; the worker was killed");
        }
        return Optional.empty();
    }
}
