package io.purifier.server.executor;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The settings of the Slurm executor ({@code executor.slurm.*} in {@code conf/purifier.properties}).
 *
 * @param maxJobs      {@code executor.slurm.maxJobs}: runs submitted at once (jobs pending or running)
 * @param partition    {@code executor.slurm.partition}: the partition jobs go to; empty for the cluster's default
 * @param cpus         {@code executor.slurm.cpus}: {@code --cpus-per-task} of a run's job
 * @param memoryMb     {@code executor.slurm.memoryMegabytes}: {@code --mem} of a run's job; it must hold the worker's
 *                     heap ({@code executor.slurm.jvmOptions}) and ND4J's native memory
 * @param timeLimit    {@code executor.slurm.timeLimitMinutes}: {@code --time} of a run's job; zero derives it from the
 *                     pipeline (steps × step time limit + one hour, as the run's credential)
 * @param jvmOptions   {@code executor.slurm.jvmOptions}: the worker JVM's options on the node
 * @param sbatchArgs   {@code executor.slurm.sbatchArgs}: more {@code sbatch} options (account, QoS, constraints)
 * @param jobsDir      {@code executor.slurm.jobsDir}: a folder the server and the nodes share; each run's job script,
 *                     credential file (0600, deleted by the job when it starts) and output go to {@code ID/} below it
 * @param serverUrl    {@code executor.slurm.serverUrl}: the server's address as the nodes reach it; null for the
 *                     address the server listens on
 * @param slurmConf    {@code executor.slurm.conf}: the {@code SLURM_CONF} the Slurm commands use; null for theirs
 * @param binDir       {@code executor.slurm.binDir}: where {@code sbatch}, {@code squeue} and {@code scancel} are;
 *                     null for the {@code PATH}
 * @param pollInterval {@code executor.slurm.pollSeconds}: how often the jobs' states are read with {@code squeue}
 */
public record SlurmSettings(int maxJobs, String partition, int cpus, int memoryMb, Duration timeLimit,
                            List<String> jvmOptions, List<String> sbatchArgs, Path jobsDir, URI serverUrl,
                            Path slurmConf, Path binDir, Duration pollInterval) {

    /** Checks the values. */
    public SlurmSettings {
        partition = partition == null ? "" : partition.trim();
        jvmOptions = List.copyOf(jvmOptions);
        sbatchArgs = List.copyOf(sbatchArgs);
        for (String option : jvmOptions) {
            if (!option.startsWith("-")) {
                throw new IllegalArgumentException("setting executor.slurm.jvmOptions: '" + option
                        + "' is not a JVM option (they start with '-')");
            }
        }
        for (String arg : sbatchArgs) {
            if (!arg.startsWith("-")) {
                throw new IllegalArgumentException("setting executor.slurm.sbatchArgs: '" + arg
                        + "' is not an sbatch option (write --name=value)");
            }
        }
        if (partition.contains(" ")) {
            throw new IllegalArgumentException("setting executor.slurm.partition = '" + partition + "' has a space");
        }
        if (serverUrl != null && !("http".equals(serverUrl.getScheme()) || "https".equals(serverUrl.getScheme()))) {
            throw new IllegalArgumentException("setting executor.slurm.serverUrl = '" + serverUrl + "' is not an http(s) URL");
        }
    }

    /** The command {@code name} ({@code sbatch}, {@code squeue}, {@code scancel}) in {@link #binDir()} or on the PATH. */
    public String command(String name) {
        return binDir == null ? name : binDir.resolve(name).toString();
    }
}
