package io.purifier.bench.matrix;

import java.util.Map;

/**
 * The outcome of one cell.
 *
 * @param cell        the cell
 * @param runId       the run in the history that produced it
 * @param status      the run's final status (SUCCEEDED, FAILED, ...)
 * @param metrics     metric name → value of the cell's final model (fractions in [0, 1]); C-ACC, ASR, RA, DER
 * @param wallSeconds wall time of the run (for a cached attacked model, the time to load it)
 * @param peakRssMb   the server process's peak resident memory while the cell ran, in MB
 * @param reused      true when the result came from a run already in the history (resume)
 * @param error       the run's error, or null
 */
public record BenchResult(BenchCell cell, long runId, String status, Map<String, Double> metrics, double wallSeconds,
                          double peakRssMb, boolean reused, String error) {

    /** Whether the cell's run succeeded. */
    public boolean ok() {
        return "SUCCEEDED".equals(status);
    }
}
