package io.purifier.server.executor;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one run asks of the machine its worker runs on, from the pipeline's {@code resources} member. A member the
 * pipeline left out is empty here and takes the executor's default: {@code executor.slurm.*} for a Slurm job, the
 * standby worker's settings ({@code executor.local.jvmOptions}, every processor) for a local worker.
 *
 * @param cpus            CPU cores (Slurm's {@code --cpus-per-task}; a local worker's thread count); 0 for the default
 * @param memoryMegabytes memory of the worker process in MiB, heap and native together (Slurm's {@code --mem}; a local
 *                        worker's cap); 0 for the default
 * @param timeLimit       time limit of the whole run; null for the one derived from its steps
 */
public record RunResources(int cpus, int memoryMegabytes, Duration timeLimit) {

    /** Every member left to the executor. */
    public static final RunResources DEFAULTS = new RunResources(0, 0, null);

    /** Checks the values. */
    public RunResources {
        if (cpus < 0 || memoryMegabytes < 0) {
            throw new IllegalArgumentException("resources cannot be negative: cpus " + cpus + ", memory " + memoryMegabytes + " MiB");
        }
        if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
            throw new IllegalArgumentException("a run's time limit must be positive, not " + timeLimit);
        }
    }

    /** The CPU cores the pipeline asks for, if it does. */
    public OptionalInt requestedCpus() {
        return cpus == 0 ? OptionalInt.empty() : OptionalInt.of(cpus);
    }

    /** The memory in MiB the pipeline asks for, if it does. */
    public OptionalInt requestedMemoryMegabytes() {
        return memoryMegabytes == 0 ? OptionalInt.empty() : OptionalInt.of(memoryMegabytes);
    }

    /** The run's time limit, if the pipeline sets one. */
    public Optional<Duration> requestedTimeLimit() {
        return Optional.ofNullable(timeLimit);
    }

    /** Whether the pipeline asks for a CPU count or a memory size (the time limit does not change a worker). */
    public boolean shapesWorker() {
        return cpus != 0 || memoryMegabytes != 0;
    }

    /** For the run log: {@code "4 CPUs, 8192 MiB, 120 min"}, only what the pipeline asks for; empty for none. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (cpus != 0) {
            b.append(cpus).append(cpus == 1 ? " CPU" : " CPUs");
        }
        if (memoryMegabytes != 0) {
            b.append(b.isEmpty() ? "" : ", ").append(memoryMegabytes).append(" MiB");
        }
        if (timeLimit != null) {
            b.append(b.isEmpty() ? "" : ", ").append(timeLimit.toMinutes()).append(" min");
        }
        return b.toString();
    }
}
