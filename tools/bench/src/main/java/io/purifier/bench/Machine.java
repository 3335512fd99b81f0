package io.purifier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the benchmarks record about the machine: load averages and resident memory (Linux {@code /proc}). */
public final class Machine {

    private Machine() {
    }

    /** The 1-, 5- and 15-minute load averages from /proc/loadavg, or "unknown". */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    /**
     * Resident memory in KB of this process and every process it started (a run's worker processes included), or 0
     * when unknown.
     */
    public static long treeRssKb() {
        long total = rssKb(ProcessHandle.current().pid());
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            total += rssKb(child.pid());
        }
        return total;
    }

    /**
     * Resident memory in KB of this process alone (its child processes, such as a run's worker, not included), or 0
     * when unknown.
     */
    public static long processRssKb() {
        return rssKb(ProcessHandle.current().pid());
    }

    /** The resident set size of process {@code pid} in KB, or 0 when it is gone or unknown. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
