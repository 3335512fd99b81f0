package io.purifier.server.run;

import io.purifier.server.pipeline.ValidatedPipeline;

/**
 * One run being executed: its id, its validated pipeline, who started it, and its cancellation state. A
 * cancellation reaches the running step at once; a step that starts later sees it when it starts.
 */
public final class RunJob {

    /** The cancellation reason used when the server stops; such runs end INTERRUPTED, not CANCELLED. */
    public static final String SHUTDOWN = "the server is shutting down";

    private final long runId;
    private final ValidatedPipeline pipeline;
    private final String user;
    private volatile String cancelReason;
    private volatile StepContext currentStep;

    /**
     * @param runId    the run's id in the history
     * @param pipeline the validated pipeline
     * @param user     who started it
     */
    public RunJob(long runId, ValidatedPipeline pipeline, String user) {
        this.runId = runId;
        this.pipeline = pipeline;
        this.user = user;
    }

    /** The run's id in the history. */
    public long runId() {
        return runId;
    }

    /** The validated pipeline. */
    public ValidatedPipeline pipeline() {
        return pipeline;
    }

    /** Who started the run. */
    public String user() {
        return user;
    }

    /** Why the run was cancelled, or null. */
    public String cancelReason() {
        return cancelReason;
    }

    /** Requests cancellation (the first reason wins); the running step, if any, is told at once. */
    public synchronized void cancel(String reason) {
        if (cancelReason == null) {
            cancelReason = reason;
        }
        StepContext step = currentStep;
        if (step != null) {
            step.cancel(cancelReason);
        }
    }

    /** Called when a step starts; a pending cancellation reaches it immediately. */
    synchronized void enter(StepContext step) {
        currentStep = step;
        if (cancelReason != null) {
            step.cancel(cancelReason);
        }
    }

    /** Called when a step ends. */
    synchronized void leave() {
        currentStep = null;
    }
}
