package io.purifier.data.testing;

import io.purifier.api.data.DataRoots;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunCancelledException;
import io.purifier.api.run.RunContext;
import io.purifier.data.ConfiguredDataRoots;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A run context for unit tests of plugins: fixed seed, data roots of the test's choice, recorded log lines,
 * warnings and curve points.
 */
public final class FakeRunContext implements RunContext {

    private final long seed;
    private final Path artifactDir;
    private final DataRoots dataRoots;
    private final List<String> lines = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> curves = new ArrayList<>();

    /**
     * @param seed        the step seed
     * @param artifactDir a (temporary) directory for artifacts
     * @param dataRoots   the roots user paths resolve through
     */
    public FakeRunContext(long seed, Path artifactDir, DataRoots dataRoots) {
        this.seed = seed;
        this.artifactDir = artifactDir;
        this.dataRoots = dataRoots;
    }

    /**
     * A context whose artifact directory is also its only data root (user paths resolve inside {@code dir}).
     *
     * @param seed the step seed
     * @param dir  a (temporary) directory
     */
    public FakeRunContext(long seed, Path dir) {
        this(seed, dir, new ConfiguredDataRoots(List.of(dir)));
    }

    /** Every warning so far, as given (without the "WARN " prefix of {@link #lines()}). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Every curve point so far, in order, as {@code series@x=y} (for example {@code loss@1.0=0.5}). */
    public List<String> curves() {
        return List.copyOf(curves);
    }

    /** Every log and warning line so far (warnings prefixed with "WARN "). */
    public List<String> lines() {
        return List.copyOf(lines);
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
        lines.add("PROGRESS " + fraction + " " + message);
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void checkCancelled() {
        if (isCancelled()) {
            throw new RunCancelledException("cancelled");
        }
    }

    @Override
    public void log(String message) {
        lines.add(message);
    }

    @Override
    public void warn(String message) {
        lines.add("WARN " + message);
        warnings.add(message);
    }

    @Override
    public void curve(String series, double x, double y) {
        if (!Double.isFinite(y)) {
            throw new IllegalArgumentException("curve " + series + " got " + y);
        }
        curves.add(series + "@" + x + "=" + y);
    }

    @Override
    public DataRoots dataRoots() {
        return dataRoots;
    }

    @Override
    public Optional<ReportingProbe> reportingProbe() {
        return Optional.empty();
    }
}
