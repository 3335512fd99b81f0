package io.purifier.engine.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Data-parallel loops for the engine's Java kernels, on one pool sized like ND4J's native threads
 * ({@code OMP_NUM_THREADS}, default: available processors). Small loops run on the caller's thread.
 */
public final class Parallel {

    /** Work items below which a loop stays on the calling thread (element operations, roughly). */
    public static final long SERIAL_WORK = 32_768;

    private static final int THREADS = threads();
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS, pool -> {
        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("purifier-kernel-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
    }, null, false) : null;

    private Parallel() {
    }

    /** A loop body over {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        /** Processes items {@code from} (inclusive) to {@code to} (exclusive). */
        void run(int from, int to);
    }

    /** The number of threads kernels use. */
    public static int threads() {
        String env = System.getenv("OMP_NUM_THREADS");
        if (env != null) {
            try {
                int n = Integer.parseInt(env.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the processor count
            }
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} chunks.
     *
     * @param n          number of items
     * @param workPerItem rough element operations per item, to keep small loops serial
     * @param body       the loop body
     */
    public static void forRange(int n, long workPerItem, Range body) {
        if (n <= 0) {
            return;
        }
        int chunks = POOL == null || (long) n * workPerItem < SERIAL_WORK ? 1 : Math.min(n, THREADS);
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        if (ForkJoinTask.inForkJoinPool()) {
            body.run(0, n);
            return;
        }
        POOL.invoke(new Split(body, 0, n, (n + chunks - 1) / chunks));
    }

    private static final class Split extends RecursiveAction {
        private final Range body;
        private final int from;
        private final int to;
        private final int grain;

        Split(Range body, int from, int to, int grain) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                body.run(from, to);
                return;
            }
            int mid = from + grain;
            invokeAll(new Split(body, from, mid, grain), new Split(body, mid, to, grain));
        }
    }
}
