package io.purifier.server.executor;

import java.util.List;

/**
 * How a worker ended, as its executor saw it.
 *
 * @param runId        the run
 * @param exitCode     the process's exit code (128 + N when a signal N ended it), or -1 when unknown
 * @param description  in plain words: "exit code 1", "killed by signal 9 (SIGKILL)", a scheduler's reason
 * @param lastLogLines the last lines of the worker's output, oldest first
 * @param cause        who ended the worker, when the server did not ask for it
 */
public record ExecutionEnd(long runId, int exitCode, String description, List<String> lastLogLines, Cause cause) {

    /** Who ended a worker. */
    public enum Cause {
        /** The worker process ended by itself (or the server had it killed): its exit code tells how. */
        EXITED,
        /** The scheduler stopped it at a limit (time, memory): the run failed. */
        LIMIT,
        /** Someone cancelled its job outside Purifier (e.g. {@code scancel}): the run is cancelled. */
        CANCELLED,
        /** Its node failed or it was preempted: the run is interrupted. */
        LOST
    }

    /** Copies the lines. */
    public ExecutionEnd {
        lastLogLines = List.copyOf(lastLogLines);
    }

    /** The end of a worker process that exited by itself. */
    public ExecutionEnd(long runId, int exitCode, String description, List<String> lastLogLines) {
        this(runId, exitCode, description, lastLogLines, Cause.EXITED);
    }

    /** The plain-words description of a process exit code. */
    public static String describeExitCode(int code) {
        if (code > 128 && code < 160) {
            int signal = code - 128;
            String name = switch (signal) {
                case 1 -> " (SIGHUP)";
                case 2 -> " (SIGINT)";
                case 6 -> " (SIGABRT)";
                case 9 -> " (SIGKILL)";
                case 11 -> " (SIGSEGV)";
                case 15 -> " (SIGTERM)";
                default -> "";
            };
            return "killed by signal " + signal + name;
        }
        return "exit code " + code;
    }
}
