package io.purifier.server.executor;

import java.util.Locale;

/**
 * A Slurm job state ({@code squeue}'s {@code %T}) as a run sees it: still waiting for a node, executing, or ended with
 * the outcome the run takes when its worker did not report one itself.
 */
public enum SlurmJobState {
    /** Waiting for resources or a start (PENDING, CONFIGURING, REQUEUED, REQUEUE_HOLD, RESIZING): the run is queued. */
    WAITING,
    /** Executing (RUNNING, COMPLETING, SUSPENDED, STOPPED, SIGNALING, STAGE_OUT): the run is running. */
    EXECUTING,
    /** Ended by itself (COMPLETED, FAILED): the worker's exit code tells how. */
    EXITED,
    /** Stopped by Slurm for a limit (TIMEOUT, OUT_OF_MEMORY, DEADLINE): the run failed. */
    LIMIT,
    /** Cancelled (CANCELLED, REVOKED): the run is cancelled. */
    CANCELLED,
    /** Lost with its node (NODE_FAIL, BOOT_FAIL, PREEMPTED, SPECIAL_EXIT): the run is interrupted. */
    LOST;

    /** The state of the Slurm state name {@code name} ({@code squeue}'s long form, e.g. {@code CANCELLED}). */
    public static SlurmJobState of(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        int space = n.indexOf(' ');
        if (space > 0) {
            n = n.substring(0, space);
        }
        return switch (n) {
            case "PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING" -> WAITING;
            case "RUNNING", "COMPLETING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT", "RESV_DEL_HOLD" -> EXECUTING;
            case "COMPLETED", "FAILED" -> EXITED;
            case "TIMEOUT", "OUT_OF_MEMORY", "DEADLINE" -> LIMIT;
            case "CANCELLED", "REVOKED" -> CANCELLED;
            case "NODE_FAIL", "BOOT_FAIL", "PREEMPTED", "SPECIAL_EXIT" -> LOST;
            default -> throw new IllegalArgumentException("unknown Slurm job state '" + name + "'");
        };
    }

    /** Whether a job in this state is over. */
    public boolean ended() {
        return this != WAITING && this != EXECUTING;
    }
}
