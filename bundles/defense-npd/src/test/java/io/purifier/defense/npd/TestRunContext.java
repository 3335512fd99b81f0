package io.purifier.defense.npd;

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

/** A run context for tests: fixed seed, recorded logs and curves, an optional reporting probe. */
final class TestRunContext implements RunContext {

    final List<String> logs = new ArrayList<>();
    final Map<String, List<double[]>> curves = new LinkedHashMap<>();
    final List<Double> progress = new ArrayList<>();
    private final long seed;
    private final ReportingProbe probe;

    TestRunContext(long seed, ReportingProbe probe) {
        this.seed = seed;
        this.probe = probe;
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
        progress.add(fraction);
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
            throw new IllegalArgumentException("curve " + series + " got " + y);
        }
        curves.computeIfAbsent(series, k -> new ArrayList<>()).add(new double[]{x, y});
    }

    @Override
    public DataRoots dataRoots() {
        return path -> {
            throw new InvalidInputException("no data roots in tests: " + path);
        };
    }

    @Override
    public Optional<ReportingProbe> reportingProbe() {
        return Optional.ofNullable(probe);
    }
}
