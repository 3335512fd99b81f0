package io.purifier.server.pipeline;

/** A queued or running pipeline run: its id, its validated pipeline, who started it, and its cancellation state. */
final class RunJob {

    /** The cancellation reason used when the server stops; such runs end INTERRUPTED, not CANCELLED. */
    static final String SHUTDOWN = "the server is shutting down";

    private final long runId;
    private final ValidatedPipeline pipeline;
    private final String user;
    private volatile String cancelReason;
    private volatile StepContext currentStep;

    RunJob(long runId, ValidatedPipeline pipeline, String user) {
        this.runId = runId;
        this.pipeline = pipeline;
        this.user = user;
    }

    long runId() {
        return runId;
    }

    ValidatedPipeline pipeline() {
        return pipeline;
    }

    String user() {
        return user;
    }

    String cancelReason() {
        return cancelReason;
    }

    /** Requests cancellation; the running step (if any) is told at once. */
    synchronized void cancel(String reason) {
        if (cancelReason == null) {
            cancelReason = reason;
        }
        StepContext step = currentStep;
        if (step != null) {
            step.cancel(reason);
        }
    }

    /** Called by the runner when a step starts; a pending cancellation reaches it immediately. */
    synchronized void enter(StepContext step) {
        currentStep = step;
        if (cancelReason != null) {
            step.cancel(cancelReason);
        }
    }

    synchronized void leave() {
        currentStep = null;
    }
}
