package io.purifier.server.dispatch;

import io.purifier.server.pipeline.HistoryRecorder;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.store.RunStatus;

import java.util.function.LongSupplier;

/**
 * A run between its submission and the end of its worker: queued, then handed to a worker, then finished (the
 * worker reported its final status, or the server ended it). It holds what the server knows while the run executes
 * elsewhere: the pending cancellation, when the worker last reported, which step runs since when, and the last
 * event batch applied (so a batch the worker sends again is not applied twice).
 */
public final class ActiveRun {

    /** Where a run is. */
    public enum State {
        /** Waiting for a free executor slot. */
        QUEUED,
        /** Handed to a worker (starting, or running its steps). */
        LAUNCHED,
        /** Its final status is recorded; its worker may still be shutting down. */
        FINISHED
    }

    private final long runId;
    private final ValidatedPipeline pipeline;
    private final String user;
    private final int steps;
    private final HistoryRecorder recorder;
    private final LongSupplier clock;
    private State state = State.QUEUED;
    private String cancelReason;
    private long cancelledAt;
    private long lastContact;
    private boolean reported;
    private long firstContact;
    private int runningStep = -1;
    private long stepStartedAt;
    private long lastBatch = -1;
    private String killReason;
    private RunStatus outcome;

    /**
     * @param runId    the run
     * @param pipeline its validated pipeline
     * @param user     who submitted it
     * @param steps    how many steps it has
     * @param recorder where its reports go
     * @param clock    monotonic nanoseconds ({@code System::nanoTime}; a fake in tests)
     */
    public ActiveRun(long runId, ValidatedPipeline pipeline, String user, int steps, HistoryRecorder recorder, LongSupplier clock) {
        this.runId = runId;
        this.pipeline = pipeline;
        this.user = user;
        this.steps = steps;
        this.recorder = recorder;
        this.clock = clock;
    }

    /** The run's id. */
    public long runId() {
        return runId;
    }

    /** Its validated pipeline. */
    public ValidatedPipeline pipeline() {
        return pipeline;
    }

    /** Who submitted it. */
    public String user() {
        return user;
    }

    /** How many steps it has. */
    public int steps() {
        return steps;
    }

    /** Where this run's reports are written. */
    public HistoryRecorder recorder() {
        return recorder;
    }

    /** Where the run is now. */
    public synchronized State state() {
        return state;
    }

    /** The run was handed to a worker; its silence is measured from now. */
    synchronized void launched() {
        state = State.LAUNCHED;
        lastContact = clock.getAsLong();
    }

    /** Its final status is recorded. */
    synchronized void finished(RunStatus status) {
        state = State.FINISHED;
        outcome = status;
    }

    /** The final status recorded, or null while it runs. */
    public synchronized RunStatus outcome() {
        return outcome;
    }

    /** Requests cancellation (the first reason wins). */
    synchronized void cancel(String reason) {
        if (cancelReason == null) {
            cancelReason = reason;
            cancelledAt = clock.getAsLong();
        }
    }

    /** Why the run was cancelled, or null. */
    public synchronized String cancelReason() {
        return cancelReason;
    }

    /** Nanoseconds since cancellation was requested, or -1. */
    synchronized long nanosSinceCancel() {
        return cancelReason == null ? -1 : clock.getAsLong() - cancelledAt;
    }

    /** The worker reported now. */
    synchronized void contact() {
        lastContact = clock.getAsLong();
        if (!reported) {
            firstContact = lastContact;
        }
        reported = true;
    }

    /**
     * Nanoseconds since the worker first reported (its process started: a job waiting for a node does not count), or
     * -1 before.
     */
    synchronized long nanosSinceStart() {
        return reported ? clock.getAsLong() - firstContact : -1;
    }

    /** Whether its worker has reported at all (a worker that has not may still wait for a node, or be starting). */
    public synchronized boolean reported() {
        return reported;
    }

    /**
     * Its worker has not started yet: the scheduler still holds the job (a Slurm job waiting for a node), so there is
     * no process that could report. Its silence is measured from now on, so that a job may wait for its node as long
     * as the scheduler makes it wait; the heartbeat time-out counts from when it starts.
     */
    synchronized void waitingToStart() {
        if (state == State.LAUNCHED) {
            lastContact = clock.getAsLong();
        }
    }

    /** Nanoseconds since the worker last reported (or since launch, or since it last waited to start). */
    synchronized long nanosSinceContact() {
        return clock.getAsLong() - lastContact;
    }

    /** A step started in the worker. */
    synchronized void stepStarted(int step) {
        runningStep = step;
        stepStartedAt = clock.getAsLong();
    }

    /** The running step ended. */
    synchronized void stepEnded() {
        runningStep = -1;
    }

    /** The step that runs now, or -1. */
    synchronized int runningStep() {
        return runningStep;
    }

    /** Nanoseconds since the running step started, or -1 when none runs. */
    synchronized long nanosInStep() {
        return runningStep < 0 ? -1 : clock.getAsLong() - stepStartedAt;
    }

    /**
     * Whether the event batch with sequence number {@code seq} is new; a batch the worker sent again (its answer was
     * lost) is not.
     */
    synchronized boolean isNewBatch(long seq) {
        return seq > lastBatch;
    }

    /** The batch {@code seq} was applied completely. */
    synchronized void batchApplied(long seq) {
        lastBatch = Math.max(lastBatch, seq);
    }

    /** The server killed the worker for this reason (watchdog, cancel grace). */
    synchronized void killed(String reason) {
        if (killReason == null) {
            killReason = reason;
        }
    }

    /** Why the server killed the worker, or null. */
    public synchronized String killReason() {
        return killReason;
    }
}
