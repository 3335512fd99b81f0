package io.purifier.server.dispatch;

import io.purifier.server.executor.ExecutionEnd;
import io.purifier.server.run.RunJob;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.StepStatus;

import java.util.List;

/**
 * How a run ends when its worker is gone without having reported the final status: interrupted by a server
 * shutdown, cancelled (the worker was stopped after the user cancelled), failed for the reason the server killed
 * the worker, or failed because the worker process ended by itself (with its exit code or signal and the last lines
 * of its log). When a scheduler ended the worker's job by itself, its state decides: cancelled outside Purifier
 * ({@code scancel}) → CANCELLED, stopped at a limit → FAILED, node failure or preemption → INTERRUPTED, each with the
 * scheduler's state and reason in the error.
 */
public final class RunEndings {

    /** How many of the last log lines the run's error quotes (all of them go to the run log). */
    static final int QUOTED_LINES = 3;

    /**
     * The end of a run.
     *
     * @param status     the run's final status
     * @param stepStatus the status of its step that was running
     * @param error      why, in plain words
     */
    public record Ending(RunStatus status, StepStatus stepStatus, String error) {
    }

    private RunEndings() {
    }

    /** The end of {@code run} whose worker ended as {@code end}; {@code shuttingDown} when the server stops. */
    public static Ending of(ActiveRun run, ExecutionEnd end, boolean shuttingDown) {
        String cancel = run.cancelReason();
        if (shuttingDown || RunJob.SHUTDOWN.equals(cancel)) {
            return new Ending(RunStatus.INTERRUPTED, StepStatus.CANCELLED, "the server shut down before this run finished");
        }
        if (cancel != null) {
            return new Ending(RunStatus.CANCELLED, StepStatus.CANCELLED, cancel);
        }
        if (run.killReason() != null) {
            return new Ending(RunStatus.FAILED, StepStatus.FAILED, run.killReason());
        }
        switch (end.cause()) {
            case CANCELLED:
                return new Ending(RunStatus.CANCELLED, StepStatus.CANCELLED, "its job was cancelled outside Purifier: "
                        + end.description());
            case LIMIT:
                return new Ending(RunStatus.FAILED, StepStatus.FAILED, "the scheduler stopped its job at a limit: "
                        + end.description() + quoted(end.lastLogLines()));
            case LOST:
                return new Ending(RunStatus.INTERRUPTED, StepStatus.FAILED, "its job was lost: " + end.description());
            default:
                break;
        }
        return new Ending(RunStatus.FAILED, StepStatus.FAILED, "the worker process ended (" + end.description()
                + ") before finishing the run" + quoted(end.lastLogLines()));
    }

    private static String quoted(List<String> lines) {
        if (lines.isEmpty()) {
            return "; it wrote no output";
        }
        List<String> last = lines.subList(Math.max(0, lines.size() - QUOTED_LINES), lines.size());
        return "; the last lines of its log: " + String.join(" | ", last);
    }
}
