package io.purifier.server.run;

import io.purifier.server.store.StepStatus;

/** A step ended without a result: FAILED (with the cause in plain words) or CANCELLED. */
final class StepFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final StepStatus status;

    StepFailure(StepStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    StepStatus status() {
        return status;
    }
}
