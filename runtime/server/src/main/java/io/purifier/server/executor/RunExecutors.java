package io.purifier.server.executor;

import java.nio.file.Path;

/** Picks the executor the configuration names ({@code executor} in {@code conf/purifier.properties}). */
public final class RunExecutors {

    private RunExecutors() {
    }

    /** The executor for {@code settings}, starting workers from the installation at {@code home}. */
    public static RunExecutor of(ExecutorSettings settings, Path home) {
        return switch (settings.kind()) {
            case ExecutorSettings.LOCAL -> new LocalProcessExecutor(settings, home);
            default -> throw new IllegalArgumentException("unknown executor '" + settings.kind() + "'");
        };
    }
}
