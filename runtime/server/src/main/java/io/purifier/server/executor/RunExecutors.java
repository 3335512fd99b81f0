package io.purifier.server.executor;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;

/** Picks the executor the configuration names ({@code executor} in {@code conf/purifier.properties}). */
public final class RunExecutors {

    private RunExecutors() {
    }

    /**
     * The executor for {@code settings}, starting workers from the installation at {@code home}.
     *
     * @param dataDir the data directory (workers' directories go to {@code workers/} below it)
     */
    public static RunExecutor of(ExecutorSettings settings, Path home, Path dataDir, ObjectMapper json) throws IOException {
        return switch (settings.kind()) {
            case ExecutorSettings.LOCAL -> new LocalProcessExecutor(settings, home, dataDir.resolve("workers"), json);
            case ExecutorSettings.SLURM -> new SlurmExecutor(settings.slurm(), new SlurmCli(settings.slurm()), home);
            default -> throw new IllegalArgumentException("unknown executor '" + settings.kind() + "'");
        };
    }
}
