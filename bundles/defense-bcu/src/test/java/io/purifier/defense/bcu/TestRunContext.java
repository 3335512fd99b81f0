package io.purifier.defense.bcu;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.DataRoots;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** A run context for tests: fixed seed, recorded curves and logs, an optional reporting probe. */
final class TestRunContext implements RunContext {

    final Map<String, List<double[]>> curves = new LinkedHashMap<>();
    final List<String> logs = new ArrayList<>();
    private final long seed;
    private final ReportingProbe probe;
    int probeCalls;

    TestRunContext(long seed, ReportingProbe probe) {
        this.seed = seed;
        this.probe = probe;
    }

    /** The y values of {@code series} in order. */
    double[] ys(String series) {
        return curves.getOrDefault(series, List.of()).stream().mapToDouble(p -> p[1]).toArray();
    }

    /** The x values of {@code series} in order. */
    double[] xs(String series) {
        return curves.getOrDefault(series, List.of()).stream().mapToDouble(p -> p[0]).toArray();
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
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    @Override
    public void progress(double fraction, String message) {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("progress " + fraction);
        }
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void checkCancelled() {
    }

    @Override
    public void log(String message) {
        logs.add(message);
    }

    @Override
    public void warn(String message) {
        logs.add("WARN " + message);
    }

    @Override
    public void curve(String series, double x, double y) {
        if (!Double.isFinite(y)) {
            throw new IllegalArgumentException(series + " got " + y);
        }
        curves.computeIfAbsent(series, k -> new ArrayList<>()).add(new double[]{x, y});
    }

    @Override
    public DataRoots dataRoots() {
        return path -> {
            throw new InvalidInputException("no data roots in tests (asked for " + path + ")");
        };
    }

    @Override
    public Optional<ReportingProbe> reportingProbe() {
        if (probe == null) {
            return Optional.empty();
        }
        return Optional.of(model -> {
            probeCalls++;
            return probe.evaluate(model);
        });
    }
}
