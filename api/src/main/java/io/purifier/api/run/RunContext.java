package io.purifier.api.run;

import io.purifier.api.data.DataRoots;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

/**
 * Everything a plugin may use from the running pipeline step. One context per step; its methods are safe to
 * call from the step's thread.
 */
@org.osgi.annotation.versioning.ProviderType
public interface RunContext {

    /** The step's seed, derived from the pipeline seed and the step position. Use it for every random choice. */
    long seed();

    /** A fresh {@link Random} seeded with {@link #seed()}; each call returns a new, identically seeded source. */
    Random newRandom();

    /** A directory for this step's files; files left there become downloadable artifacts of the run. */
    Path artifactDir();

    /**
     * Reports progress of this step.
     *
     * @param fraction in [0, 1]
     * @param message  short status such as "epoch 3/10"
     */
    void progress(double fraction, String message);

    /** Whether the run was cancelled or the step's time limit passed. */
    boolean isCancelled();

    /**
     * Throws when {@link #isCancelled()}; call it between batches.
     *
     * @throws RunCancelledException with the reason
     */
    void checkCancelled();

    /** Logs a line into the run's history. */
    void log(String message);

    /** Logs a warning into the run's history. */
    void warn(String message);

    /**
     * Records one point of a curve (for example series "loss/L1" at epoch 3).
     *
     * @param series the curve name; a slash groups curves into one chart ("loss/L1", "loss/L2")
     * @param x      usually the epoch (1-based)
     * @param y      the value; NaN or infinite values are refused with an exception
     */
    void curve(String series, double x, double y);

    /**
     * Where user-named files (dataset directories, trigger images, uploaded files) may be read from. Resolve every
     * user-supplied path through it.
     */
    DataRoots dataRoots();

    /** The reporting-only probe on the test sets, when the pipeline has test data. */
    Optional<ReportingProbe> reportingProbe();
}
