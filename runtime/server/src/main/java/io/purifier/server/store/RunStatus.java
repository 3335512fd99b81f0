package io.purifier.server.store;

/**
 * The state of a run.
 *
 * <table>
 * <caption>Run states</caption>
 * <tr><th>state</th><th>meaning</th></tr>
 * <tr><td>QUEUED</td><td>accepted and waiting for an executor thread</td></tr>
 * <tr><td>RUNNING</td><td>a step is executing</td></tr>
 * <tr><td>SUCCEEDED</td><td>every step finished; metrics are complete</td></tr>
 * <tr><td>FAILED</td><td>a step failed (plugin threw, exceeded its time limit, produced NaN); its error is recorded</td></tr>
 * <tr><td>CANCELLED</td><td>a user cancelled it</td></tr>
 * <tr><td>INTERRUPTED</td><td>the server process stopped (crash, kill) while it was queued or running</td></tr>
 * </table>
 */
public enum RunStatus {
    /** Waiting for an executor. */
    QUEUED,
    /** Executing. */
    RUNNING,
    /** Finished, all steps succeeded. */
    SUCCEEDED,
    /** A step failed. */
    FAILED,
    /** Cancelled by a user. */
    CANCELLED,
    /** The server stopped under it. */
    INTERRUPTED;

    /** Whether the run can change no more. */
    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }
}
