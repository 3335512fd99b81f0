package io.purifier.api.run;

/** Thrown by {@link RunContext#checkCancelled()} once the run was cancelled or its step exceeded its time limit. */
public class RunCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param reason why the step stops, e.g. "cancelled by alice" or "time limit of 600 s exceeded" */
    public RunCancelledException(String reason) {
        super(reason);
    }
}
