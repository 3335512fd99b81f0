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
 * @param reused      true when this invocation did not run the cell: it came from the history or from the record
 * @param error       the run's error, or null
 * @param pipelineKey the fingerprint of the pipeline the cell ran and the trainer version
 *                    ({@link MatrixRecord#key}), or null when not known (reports written before it existed)
 * @param fromRecord  true when the result came from the matrix's earlier report, not from this installation's history
 *                    (its run id then names a run of the history that produced the report)
 */
public record BenchResult(BenchCell cell, long runId, String status, Map<String, Double> metrics, double wallSeconds,
                          double peakRssMb, boolean reused, String error, String pipelineKey, boolean fromRecord) {

    /** A result of this installation's history whose pipeline fingerprint is not known. */
    public BenchResult(BenchCell cell, long runId, String status, Map<String, Double> metrics, double wallSeconds,
                       double peakRssMb, boolean reused, String error) {
        this(cell, runId, status, metrics, wallSeconds, peakRssMb, reused, error, null, false);
    }

    /** The same result with the fingerprint of the pipeline that produced it. */
    public BenchResult withPipelineKey(String key) {
        return new BenchResult(cell, runId, status, metrics, wallSeconds, peakRssMb, reused, error, key, fromRecord);
    }

    /** Whether the cell's run succeeded. */
    public boolean ok() {
        return "SUCCEEDED".equals(status);
    }
}
