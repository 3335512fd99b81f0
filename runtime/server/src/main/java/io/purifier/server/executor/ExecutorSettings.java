package io.purifier.server.executor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How runs are executed, from {@code conf/purifier.properties}.
 *
 * @param kind             {@code executor}: which {@link RunExecutor} runs the runs: {@value #LOCAL} (worker
 *                         processes on this machine) or {@value #SLURM} (one Slurm job per run)
 * @param localSlots       {@code executor.local.slots}: runs the local executor runs at once (one worker process each)
 * @param workerJvmOptions {@code executor.local.jvmOptions}: the JVM options of a local worker process (memory caps)
 * @param cancelGrace      {@code executor.cancelGraceSeconds}: how long a cancelled worker gets to stop by itself
 *                         before it is killed
 * @param heartbeatTimeout {@code executor.heartbeatTimeoutSeconds}: a worker that has not reported for this long is
 *                         killed and its run failed
 * @param slurm            the Slurm executor's settings (used when {@code kind} is {@value #SLURM})
 */
public record ExecutorSettings(String kind, int localSlots, List<String> workerJvmOptions, Duration cancelGrace,
                               Duration heartbeatTimeout, SlurmSettings slurm) {

    /** The executor that starts one worker process per run on this machine. */
    public static final String LOCAL = "local";
    /** The executor that submits one Slurm job per run. */
    public static final String SLURM = "slurm";

    /**
     * The default JVM options of a local worker: the memory caps the server itself had when it ran pipelines, and a
     * young generation of 256 MB. ND4J's arrays hold their data off-heap behind small heap objects, so with G1's
     * default young generation (a share of the 2 GB heap) collections were rare and garbage arrays piled up off-heap:
     * an NPD step on the small CNN peaked at 3.1–3.3 GB, with {@code -Xmn256m} at 2.1 GB for the same time
     * ({@code docs/benchmarks.md}, "Memory").
     */
    public static final String DEFAULT_WORKER_JVM = "-Xmx2g -Xmn256m -XX:+UseG1GC -Dorg.bytedeco.javacpp.maxbytes=4G"
            + " -Dorg.bytedeco.javacpp.maxphysicalbytes=8G";

    /** Checks the values. */
    public ExecutorSettings {
        if (!LOCAL.equals(kind) && !SLURM.equals(kind)) {
            throw new IllegalArgumentException("setting executor = '" + kind + "' is unknown (this build has: " + LOCAL
                    + ", " + SLURM + ")");
        }
        if (slurm == null) {
            slurm = defaultSlurm(workerJvmOptions, Path.of("data", "slurm"));
        }
        workerJvmOptions = List.copyOf(workerJvmOptions);
        for (String option : workerJvmOptions) {
            if (!option.startsWith("-")) {
                throw new IllegalArgumentException("setting executor.local.jvmOptions: '" + option
                        + "' is not a JVM option (they start with '-')");
            }
        }
    }

    /** Settings with the Slurm executor's defaults (for the local executor and tests). */
    public ExecutorSettings(String kind, int localSlots, List<String> workerJvmOptions, Duration cancelGrace,
                            Duration heartbeatTimeout) {
        this(kind, localSlots, workerJvmOptions, cancelGrace, heartbeatTimeout, null);
    }

    /** The Slurm defaults: 100 jobs, 2 CPUs and 8 GB each, time limit from the pipeline, states read every 5 s. */
    public static SlurmSettings defaultSlurm(List<String> jvmOptions, Path jobsDir) {
        return new SlurmSettings(100, "", 2, 8192, Duration.ZERO, jvmOptions, List.of(), jobsDir, null, null, null,
                Duration.ofSeconds(5));
    }

    /** The JVM options in {@code text}, split at white space. */
    public static List<String> splitOptions(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }
}
