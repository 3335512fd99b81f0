package io.purifier.server.executor;

import java.util.ArrayList;
import java.util.List;

/**
 * One Slurm job as {@code squeue} reports it.
 *
 * @param id       the job id
 * @param state    Slurm's state name (e.g. {@code PENDING}, {@code CANCELLED})
 * @param reason   Slurm's reason for the state ({@code None} when it gives none)
 * @param exitCode the batch script's exit code, 128 + N when signal N ended it, -1 when Slurm gives none
 */
public record SlurmJob(String id, String state, String reason, int exitCode) {

    /** The format {@link #parse} reads: {@code squeue --noheader --Format=} this. */
    public static final String SQUEUE_FORMAT = "JobID:|,State:|,Reason:|,exit_code:|";

    /** What the state means for the run. */
    public SlurmJobState meaning() {
        return SlurmJobState.of(state);
    }

    private boolean ended() {
        try {
            return meaning().ended();
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** In plain words, for a run's error: "Slurm job 12 TIMEOUT (reason TimeLimit, exit code 0)". */
    public String describe() {
        StringBuilder s = new StringBuilder("Slurm job ").append(id).append(' ').append(state);
        List<String> details = new ArrayList<>();
        if (!reason.isBlank() && !reason.equals("None")) {
            details.add("reason " + reason);
        }
        if (exitCode >= 0 && ended()) {
            details.add(ExecutionEnd.describeExitCode(exitCode));
        }
        if (!details.isEmpty()) {
            s.append(" (").append(String.join(", ", details)).append(')');
        }
        return s.toString();
    }

    /**
     * The jobs in {@code squeue --noheader --Format=}{@value #SQUEUE_FORMAT} output: one line per job,
     * {@code id|state|reason|exit code|}. Lines that do not have four fields are skipped.
     */
    public static List<SlurmJob> parse(String output) {
        List<SlurmJob> jobs = new ArrayList<>();
        for (String line : output.split("\\R")) {
            String[] f = line.split("\\|", -1);
            if (f.length < 4 || f[0].isBlank()) {
                continue;
            }
            jobs.add(new SlurmJob(f[0].trim(), f[1].trim(), f[2].trim(), exitCode(f[3].trim())));
        }
        return jobs;
    }

    /**
     * {@code squeue}'s {@code exit_code}: the batch script's raw wait status (exit code × 256, or the signal number);
     * also {@code N:S} as {@code scontrol} writes it (exit code, signal); empty when there is none.
     */
    static int exitCode(String text) {
        if (text.isEmpty() || text.equals("N/A")) {
            return -1;
        }
        String[] parts = text.split(":");
        try {
            if (parts.length > 1) {
                int signal = Integer.parseInt(parts[1]);
                return signal > 0 ? 128 + signal : Integer.parseInt(parts[0]);
            }
            int status = Integer.parseInt(parts[0]);
            int signal = status & 0x7f;
            return signal != 0 ? 128 + signal : (status >> 8) & 0xff;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
