package io.purifier.engine.run;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.DataRoots;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunCancelledException;
import io.purifier.api.run.RunContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A {@link RunContext} for tests, benchmarks and command-line tools: fixed seed, curves and log lines kept in
 * memory (and optionally echoed), no data roots, an optional reporting probe, cancellable by
 * {@link #cancel(String)}.
 */
public final class LocalRunContext implements RunContext {

    private final long seed;
    private final Path artifactDir;
    private final boolean echo;
    private final Map<String, List<double[]>> curves = new LinkedHashMap<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private volatile String cancelReason;
    private volatile double progress;
    private volatile ReportingProbe probe;

    /**
     * @param seed        the step seed
     * @param artifactDir directory for artifacts (not created)
     * @param echo        whether log lines are printed to standard output
     */
    public LocalRunContext(long seed, Path artifactDir, boolean echo) {
        this.seed = seed;
        this.artifactDir = artifactDir;
        this.echo = echo;
    }

    /** A quiet context with the given seed and the temporary directory as artifact directory. */
    public static LocalRunContext quiet(long seed) {
        return new LocalRunContext(seed, Path.of(System.getProperty("java.io.tmpdir")), false);
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public Random newRandom() {
        return new Random(seed);
    }

    @Override
    public Path artifactDir() {
        return artifactDir;
    }

    @Override
    public void progress(double fraction, String message) {
        progress = fraction;
    }

    /** The last reported progress fraction. */
    public double lastProgress() {
        return progress;
    }

    /** Makes {@link #checkCancelled()} throw from now on. */
    public void cancel(String reason) {
        cancelReason = reason;
    }

    @Override
    public boolean isCancelled() {
        return cancelReason != null;
    }

    @Override
    public void checkCancelled() {
        if (cancelReason != null) {
            throw new RunCancelledException(cancelReason);
        }
    }

    @Override
    public void log(String message) {
        log.add(message);
        if (echo) {
            System.out.println(message);
        }
    }

    @Override
    public void warn(String message) {
        log("WARN " + message);
    }

    @Override
    public synchronized void curve(String series, double x, double y) {
        if (!Double.isFinite(y)) {
            throw new IllegalArgumentException("curve " + series + " got a non-finite value " + y + " at x=" + x);
        }
        curves.computeIfAbsent(series, k -> new ArrayList<>()).add(new double[]{x, y});
    }

    /** The recorded points of {@code series} as {x, y} pairs (empty when none). */
    public synchronized List<double[]> curve(String series) {
        return List.copyOf(curves.getOrDefault(series, List.of()));
    }

    /** The log lines so far. */
    public List<String> logLines() {
        return List.copyOf(log);
    }

    @Override
    public DataRoots dataRoots() {
        return path -> {
            throw new InvalidInputException("no data roots are configured in a local run context (asked for " + path + ")");
        };
    }

    /** Installs a reporting probe (none by default); returns this context. */
    public LocalRunContext withProbe(ReportingProbe reportingProbe) {
        this.probe = reportingProbe;
        return this;
    }

    @Override
    public Optional<ReportingProbe> reportingProbe() {
        return Optional.ofNullable(probe);
    }
}
