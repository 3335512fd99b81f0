package io.purifier.server.dispatch;

/** A worker reported for a run that is not executing any more (finished, cancelled, interrupted) or never was. */
public final class RunNotActiveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message which run and why it takes no more reports */
    public RunNotActiveException(String message) {
        super(message);
    }
}
