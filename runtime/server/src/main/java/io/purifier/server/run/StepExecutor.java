package io.purifier.server.run;

import io.purifier.api.InvalidInputException;
import io.purifier.api.run.RunCancelledException;
import io.purifier.server.store.StepStatus;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one step's plugin code on its own thread with a time limit. Whatever the plugin does (throws, hangs,
 * runs out of memory) becomes a {@link StepFailure}; the calling run thread always regains control.
 */
final class StepExecutor {

    /** How long a cancelled or timed-out plugin gets to notice before the step is abandoned. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private static final AtomicInteger THREADS = new AtomicInteger();

    private StepExecutor() {
    }

    /**
     * Runs {@code task} and returns its value.
     *
     * @throws StepFailure when the task fails, is cancelled or exceeds {@code limit}
     */
    static <T> T run(Callable<T> task, StepContext ctx, Duration limit) throws StepFailure {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "purifier-step-" + THREADS.incrementAndGet());
        worker.setDaemon(true);
        worker.start();
        long deadline = System.nanoTime() + limit.toNanos();
        boolean timedOut = false;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (ctx.cancelReason() != null || left <= 0) {
                    if (ctx.cancelReason() == null) {
                        timedOut = true;
                        ctx.cancel("time limit of " + limit.toSeconds() + " s exceeded");
                    }
                    worker.interrupt();
                    try {
                        return result.get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (TimeoutException e) {
                        throw abandoned(ctx, limit, timedOut);
                    }
                }
                try {
                    return result.get(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // poll again: cancellation and the deadline are checked at the top of the loop
                }
            }
        } catch (ExecutionException e) {
            throw failure(e.getCause(), ctx, limit, timedOut);
        } catch (InterruptedException e) {
            ctx.cancel(RunJob.SHUTDOWN);
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new StepFailure(StepStatus.CANCELLED, RunJob.SHUTDOWN, e);
        }
    }

    private static StepFailure abandoned(StepContext ctx, Duration limit, boolean timedOut) {
        String what = timedOut ? "exceeded its time limit of " + limit.toSeconds() + " s"
                : "was cancelled (" + ctx.cancelReason() + ")";
        return new StepFailure(timedOut ? StepStatus.FAILED : StepStatus.CANCELLED,
                "the step " + what + " and did not stop within " + GRACE.toSeconds() + " s; it was abandoned", null);
    }

    private static StepFailure failure(Throwable t, StepContext ctx, Duration limit, boolean timedOut) {
        if (t instanceof StepFailure sf) {
            return sf;
        }
        if (timedOut) {
            return new StepFailure(StepStatus.FAILED, "the step exceeded its time limit of " + limit.toSeconds() + " s", t);
        }
        if (t instanceof RunCancelledException || (ctx.cancelReason() != null && t instanceof InterruptedException)) {
            return new StepFailure(StepStatus.CANCELLED, ctx.cancelReason() != null ? ctx.cancelReason() : t.getMessage(), t);
        }
        return new StepFailure(StepStatus.FAILED, describe(t), t);
    }

    /** A plain-words description of a plugin failure. */
    static String describe(Throwable t) {
        if (t instanceof InvalidInputException) {
            return t.getMessage();
        }
        if (t instanceof OutOfMemoryError) {
            return "ran out of memory (" + t.getMessage() + "); try a smaller batch size, model or dataset, "
                    + "or raise the memory limits in conf/purifier.jvm";
        }
        StringBuilder out = new StringBuilder();
        out.append(t.getClass().getSimpleName());
        if (t.getMessage() != null) {
            out.append(": ").append(t.getMessage());
        }
        StackTraceElement[] frames = t.getStackTrace();
        if (frames.length > 0) {
            out.append(" (at ").append(frames[0]).append(')');
        }
        Throwable cause = t.getCause();
        int depth = 0;
        while (cause != null && cause != t && depth++ < 3) {
            out.append("; caused by ").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                out.append(": ").append(cause.getMessage());
            }
            cause = cause.getCause();
        }
        return out.toString();
    }

    /** The stack trace with causes, for the run log. */
    static String stackTrace(Throwable t) {
        StringBuilder out = new StringBuilder();
        Throwable current = t;
        int depth = 0;
        while (current != null && depth++ < 5) {
            out.append(depth == 1 ? "" : "Caused by: ").append(current).append('\n');
            for (StackTraceElement frame : current.getStackTrace()) {
                out.append("    at ").append(frame).append('\n');
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return out.toString();
    }
}
