package io.purifier.bench.workers;

import java.time.Duration;

/**
 * What one simulated worker sends, modelled on a real worker during training ({@code HttpRecorder}: one batch at most
 * every 200 ms, progress reports coalesced to the newest, a heartbeat batch at least every 5 s): a batch every
 * {@code batchEvery} with the step's and the run's progress, a log line and a curve point every {@code logEvery}, and
 * every {@code stepEvery} the step's metrics (three values), its end and the next step's start.
 *
 * @param batchEvery time between two event batches
 * @param logEvery   time between two log lines (and two curve points)
 * @param stepEvery  time a step takes
 */
public record WorkerProfile(Duration batchEvery, Duration logEvery, Duration stepEvery) {

    /** A worker that is training: 5 batches/s, a log line and a curve point per second, a step every 15 s. */
    public static final WorkerProfile TRAINING = new WorkerProfile(Duration.ofMillis(200), Duration.ofSeconds(1),
            Duration.ofSeconds(15));

    /** Events per second this profile sends (progress: 2 per batch; log + curve; metrics + step end + step start). */
    public double eventsPerSecond() {
        return 2 * per(batchEvery) + 2 * per(logEvery) + 3 * per(stepEvery);
    }

    /** Batches per second. */
    public double batchesPerSecond() {
        return per(batchEvery);
    }

    private static double per(Duration d) {
        return 1000.0 / d.toMillis();
    }
}
