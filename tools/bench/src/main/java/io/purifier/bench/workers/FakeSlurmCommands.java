package io.purifier.bench.workers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code sbatch}, {@code squeue} and {@code scancel} as small shell scripts in a directory, for the worker load
 * simulation: the server's real Slurm executor submits, polls and cancels through them, but no job starts; the
 * simulation's workers play the jobs. {@code sbatch} numbers jobs and notes which run each is for
 * ({@code run-<runId>} holds the job id); {@code squeue} answers RUNNING until {@code done-<jobId>} exists, then
 * COMPLETED; {@code scancel} creates that file.
 */
final class FakeSlurmCommands {

    private final Path bin;
    private final Path state;

    private FakeSlurmCommands(Path bin, Path state) {
        this.bin = bin;
        this.state = state;
    }

    /** Writes the scripts into {@code dir}/bin, their state into {@code dir}/state. */
    static FakeSlurmCommands create(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path state = Files.createDirectories(dir.resolve("state"));
        String s = state.toString();
        script(bin.resolve("sbatch"), """
                #!/bin/sh
                S='%s'
                run=''
                for a in "$@"; do case "$a" in --job-name=purifier-run-*) run="${a#--job-name=purifier-run-}";; esac; done
                n=$(( $(cat "$S/next" 2>/dev/null || echo 0) + 1 ))
                echo "$n" > "$S/next"
                echo "$n" > "$S/run-$run"
                echo "$n"
                """.formatted(s));
        script(bin.resolve("squeue"), """
                #!/bin/sh
                S='%s'
                for a in "$@"; do case "$a" in --jobs=*) jobs="${a#--jobs=}";; esac; done
                for j in $(echo "$jobs" | tr ',' ' '); do
                  if [ -e "$S/done-$j" ]; then echo "$j|COMPLETED|None|0|"; else echo "$j|RUNNING|None|0|"; fi
                done
                """.formatted(s));
        script(bin.resolve("scancel"), """
                #!/bin/sh
                touch '%s'/done-"$1"
                """.formatted(s));
        return new FakeSlurmCommands(bin, state);
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    /** The directory with the three commands ({@code executor.slurm.binDir}). */
    Path bin() {
        return bin;
    }

    /** The job id sbatch gave run {@code runId}, or null while it has none. */
    String jobOf(long runId) throws IOException {
        Path f = state.resolve("run-" + runId);
        return Files.exists(f) ? Files.readString(f).strip() : null;
    }

    /** Marks job {@code jobId} ended (squeue answers COMPLETED from now on). */
    void end(String jobId) throws IOException {
        Files.writeString(state.resolve("done-" + jobId), "");
    }
}
