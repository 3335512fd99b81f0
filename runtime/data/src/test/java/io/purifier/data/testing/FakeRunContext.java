package io.purifier.data.testing;

import io.purifier.api.data.DataRoots;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunCancelledException;
import io.purifier.api.run.RunContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** A run context for unit tests of plugins: fixed seed, data roots of the test's choice, recorded log lines. */
public final class FakeRunContext implements RunContext {

    private final long seed;
    private final Path artifactDir;
    private final DataRoots dataRoots;
    private final List<String> lines = new ArrayList<>();

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
    }

    @Override
    public void curve(String series, double x, double y) {
        if (!Double.isFinite(y)) {
            throw new IllegalArgumentException("curve " + series + " got " + y);
        }
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
