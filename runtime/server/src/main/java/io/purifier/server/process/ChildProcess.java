package io.purifier.server.process;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A running child JVM started by {@link ChildJvm}. A watcher thread enforces the time limit (counted from the ready
 * line when one is expected, with a separate start-up limit before it): past it, the process and all its
 * descendants are destroyed. {@link #await()} and {@link #onExit()} give the {@link ChildResult}.
 */
public final class ChildProcess implements AutoCloseable {

    private static final long OUTPUT_GRACE_MILLIS = 5_000;

    private final Process process;
    private final Duration limit;
    private final String readyPrefix;
    private final Duration startupLimit;
    private volatile long readyAt;
    private final long startNanos = System.nanoTime();
    private final BoundedOutput stdout;
    private final BoundedOutput stderr;
    private final CompletableFuture<ChildResult> result = new CompletableFuture<>();
    private volatile boolean timedOut;

    ChildProcess(Process process, Duration limit, String readyPrefix, Duration startupLimit, int outputCap,
                 Consumer<String> stdoutLines, Consumer<String> stderrLines) {
        this.process = process;
        this.limit = limit;
        this.readyPrefix = readyPrefix;
        this.startupLimit = startupLimit;
        Consumer<String> lines = readyPrefix == null ? stdoutLines : line -> {
            if (readyAt == 0 && line.startsWith(readyPrefix)) {
                readyAt = System.nanoTime();
            }
            if (stdoutLines != null) {
                stdoutLines.accept(line);
            }
        };
        this.stdout = BoundedOutput.start(process.getInputStream(), outputCap, lines, "child-" + process.pid() + "-out");
        this.stderr = BoundedOutput.start(process.getErrorStream(), outputCap, stderrLines, "child-" + process.pid() + "-err");
        Thread watcher = new Thread(this::watch, "child-" + process.pid() + "-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch() {
        try {
            boolean beforeReady = false;
            while (!process.waitFor(50, TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                boolean starting = readyPrefix != null && readyAt == 0;
                if (starting ? now - startNanos > startupLimit.toNanos()
                        : now - (readyPrefix == null ? startNanos : readyAt) > limit.toNanos()) {
                    timedOut = true;
                    beforeReady = starting;
                    destroy();
                    process.waitFor();
                    break;
                }
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            stdout.await(OUTPUT_GRACE_MILLIS);
            stderr.await(OUTPUT_GRACE_MILLIS);
            result.complete(new ChildResult(process.exitValue(), timedOut, beforeReady, beforeReady ? startupLimit : limit,
                    elapsed, stdout.text(), stderr.text(), stdout.truncated() || stderr.truncated()));
        } catch (InterruptedException e) {
            destroy();
            result.completeExceptionally(e);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** The operating-system process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes when the process has ended (by itself, destroyed, or past its limit) and its output is read. */
    public CompletableFuture<ChildResult> onExit() {
        return result.copy();
    }

    /** Waits until the process has ended (at most its time limit plus a few seconds). */
    public ChildResult await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("watching child process " + pid() + " failed", e.getCause());
        }
    }

    /** Destroys the process and its descendants at once (SIGKILL). Safe to call repeatedly. */
    public void destroy() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * Asks the process and its descendants to stop (SIGTERM), waits up to {@code grace}, then destroys what is left.
     *
     * @return whether it stopped within the grace period
     */
    public boolean stop(Duration grace) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        boolean stopped = process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS);
        if (!stopped) {
            destroy();
        }
        return stopped;
    }

    /** Destroys the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            destroy();
        }
    }
}
