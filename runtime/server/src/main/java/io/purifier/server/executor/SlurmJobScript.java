package io.purifier.server.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one run's Slurm job in {@code executor.slurm.jobsDir/ID/} (0700): the run's credential in
 * {@code credential} (0600) and the batch script {@code job.sh}, which reads the credential into the worker's
 * environment, deletes the file, and starts {@code purifier worker} in a node-local working directory
 * ({@code $TMPDIR}) that it removes when the worker ends. The credential is never on a command line, in the script
 * or in the job's submitted environment, so {@code ps}, {@code scontrol show job} and the job's stored script do not
 * show it.
 */
final class SlurmJobScript {

    static final String SCRIPT = "job.sh";
    static final String CREDENTIAL = "credential";
    static final String OUTPUT = "worker.log";

    private SlurmJobScript() {
    }

    /**
     * Writes the files of {@code launch}'s job into {@code dir} (emptied first) and returns the script.
     *
     * @param java the java command that starts {@code io.purifier.server.Main} on the node
     */
    static Path write(Path dir, WorkerLaunch launch, List<String> java) throws IOException {
        io.purifier.server.FileTrees.delete(dir);
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path credential = dir.resolve(CREDENTIAL);
        Files.createFile(credential, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(credential, launch.credential(), StandardOpenOption.TRUNCATE_EXISTING);
        Path script = dir.resolve(SCRIPT);
        Files.createFile(script, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(script, text(launch, credential, java), StandardOpenOption.TRUNCATE_EXISTING);
        return script;
    }

    /** The script's text. */
    static String text(WorkerLaunch launch, Path credential, List<String> java) {
        List<String> cmd = new ArrayList<>(java.stream().map(SlurmJobScript::quote).toList());
        cmd.addAll(List.of("worker", "--server", quote(launch.server().toString()), "--run", Long.toString(launch.runId()),
                "--work-dir", "\"$WORK\""));
        return String.join("\n",
                "#!/bin/sh",
                "# Purifier run " + launch.runId() + ": one purifier worker (written by the server's Slurm executor)",
                "umask 077",
                "CREDENTIAL=" + quote(credential.toString()),
                "PURIFIER_WORKER_TOKEN=$(cat \"$CREDENTIAL\") || { echo \"purifier job: cannot read the run's credential"
                        + " $CREDENTIAL (it is read once, by the job's first start)\" >&2; exit 3; }",
                "rm -f \"$CREDENTIAL\"",
                "export PURIFIER_WORKER_TOKEN",
                "# as many threads as the job has CPUs, not as many as the node has",
                "OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-${OMP_NUM_THREADS:-1}}\"",
                "export OMP_NUM_THREADS",
                "WORK=\"${TMPDIR:-/tmp}/purifier-run-" + launch.runId() + "-${SLURM_JOB_ID:-0}\"",
                "mkdir -p \"$WORK\" || exit 3",
                "trap 'rm -rf \"$WORK\"' EXIT",
                "echo \"purifier job: run " + launch.runId() + " on $(hostname), Slurm job ${SLURM_JOB_ID:-?}\"",
                String.join(" ", cmd) + " &",
                "WORKER=$!",
                "trap 'kill -TERM $WORKER 2>/dev/null; wait $WORKER; exit 143' TERM",
                "wait $WORKER",
                "",
                "");
    }

    /** {@code value} in single quotes for the shell. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
