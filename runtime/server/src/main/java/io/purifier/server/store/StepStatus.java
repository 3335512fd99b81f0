package io.purifier.server.store;

/** The state of one pipeline step: PENDING → RUNNING → SUCCEEDED | FAILED | CANCELLED; SKIPPED after an earlier failure. */
public enum StepStatus {
    /** Not started yet. */
    PENDING,
    /** Executing. */
    RUNNING,
    /** Finished normally. */
    SUCCEEDED,
    /** Failed; the error says why. */
    FAILED,
    /** Stopped by cancellation. */
    CANCELLED,
    /** Never ran because an earlier step failed or the run was cancelled or interrupted. */
    SKIPPED
}
