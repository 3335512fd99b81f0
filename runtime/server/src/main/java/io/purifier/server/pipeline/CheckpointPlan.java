package io.purifier.server.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Where and how often a zoo training saves its state at epoch ends, so that a run stopped during a long training
 * (killed worker, restarted machine, cancelled run, step timeout) resumes from the last saved epoch when a pipeline
 * with the same attack-cache key runs again.
 *
 * @param file        the checkpoint file ({@link AttackCache#checkpointFile})
 * @param fingerprint the attack-cache key of the model being trained; a checkpoint of another key is not used
 * @param minInterval least time between two saves ({@code training.checkpointMinutes})
 * @param origin      who trains (e.g. {@code run 17}), for messages
 */
public record CheckpointPlan(Path file, String fingerprint, Duration minInterval, String origin) {

    /**
     * A checkpoint file as the API lists it.
     *
     * @param key        the attack-cache key of the model it trains
     * @param origin     who saved it
     * @param epochsDone epochs completed
     * @param epochs     epochs of the whole training
     * @param savedAt    when it was written
     * @param sizeBytes  bytes on disk
     */
    public record Summary(String key, String origin, int epochsDone, int epochs, Instant savedAt, long sizeBytes) {
    }
}
