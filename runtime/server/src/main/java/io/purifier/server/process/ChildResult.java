package io.purifier.server.process;

import java.time.Duration;
import java.util.Locale;

/**
 * How a child JVM ended.
 *
 * @param exitCode        the process's exit value ({@code 128 + N} when signal N ended it, as the JDK reports it)
 * @param timedOut        whether it ran past its time limit and was destroyed (with its descendants)
 * @param beforeReady     whether it timed out before it printed its ready line (still starting up)
 * @param limit           the time limit it ran past (or had)
 * @param elapsed         wall-clock time from start to exit
 * @param stdout          captured standard output (at most the configured cap, UTF-8)
 * @param stderr          captured standard error (at most the configured cap, UTF-8)
 * @param outputTruncated whether either stream produced more than the cap (the rest was read and dropped)
 */
public record ChildResult(int exitCode, boolean timedOut, boolean beforeReady, Duration limit, Duration elapsed, String stdout, String stderr,
                          boolean outputTruncated) {

    private static final java.util.regex.Pattern FATAL_SIGNAL = java.util.regex.Pattern.compile("#\\s+(SIG[A-Z]+) \\(0x");

    /** Whether it exited by itself with code 0. */
    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** The signal that ended the process (exit code above 128), or 0 when it exited by itself. */
    public int signal() {
        return exitCode > 128 && exitCode < 128 + 65 ? exitCode - 128 : 0;
    }

    /** Whether the JVM ran out of heap or off-heap (JavaCPP) memory, judging by its exit code and its output. */
    public boolean outOfMemory() {
        return !timedOut && (stdout.contains("java.lang.OutOfMemoryError") || stderr.contains("java.lang.OutOfMemoryError"));
    }

    /** Whether the JVM itself crashed (a fatal error report, typically a native fault such as SIGSEGV). */
    public boolean crashed() {
        return !timedOut && (signal() != 0 || stdout.contains("A fatal error has been detected by the Java Runtime")
                || stderr.contains("A fatal error has been detected by the Java Runtime"));
    }

    /** What happened, in words for a message ("crashed (killed by signal 11, SIGSEGV)", "ran out of memory", ...). */
    public String describe() {
        if (timedOut) {
            return beforeReady ? "did not start up within " + seconds(limit) + " and was stopped"
                    : "ran past its time limit of " + seconds(limit) + " and was stopped";
        }
        if (outOfMemory()) {
            return "ran out of memory";
        }
        if (signal() != 0) {
            return "crashed (killed by signal " + signal() + signalName(signal()) + ")";
        }
        if (crashed()) {
            java.util.regex.Matcher m = FATAL_SIGNAL.matcher(stdout + "\n" + stderr);
            return "crashed (" + (m.find() ? m.group(1) + " in native code" : "fatal error in native code")
                    + ", exit code " + exitCode + ")";
        }
        return exitCode == 0 ? "exited normally" : "exited with code " + exitCode;
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 4 -> ", SIGILL";
            case 6 -> ", SIGABRT";
            case 7 -> ", SIGBUS";
            case 8 -> ", SIGFPE";
            case 9 -> ", SIGKILL";
            case 11 -> ", SIGSEGV";
            case 15 -> ", SIGTERM";
            default -> "";
        };
    }
}
