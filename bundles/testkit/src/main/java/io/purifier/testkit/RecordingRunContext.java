package io.purifier.testkit;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.DataRoots;
import io.purifier.api.model.Model;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunCancelledException;
import io.purifier.api.run.RunContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * A {@link RunContext} for plugin tests that records what a plugin reports and checks it as the host would:
 * curves (non-finite values are refused), log lines and warnings, progress (must stay in [0, 1] and never run
 * backwards), probe calls; it can cancel the step after a given number of {@link #checkCancelled()} calls.
 */
public final class RecordingRunContext implements RunContext {

    private final long seed;
    private final Function<Model, Map<String, Double>> probe;
    private final Map<String, List<double[]>> curves = new LinkedHashMap<>();
    private final List<String> logs = new ArrayList<>();
    private final List<Double> progress = new ArrayList<>();
    private Path artifactDir = Path.of(System.getProperty("java.io.tmpdir"));
    private long cancelAfterChecks = Long.MAX_VALUE;
    private long checks;
    private int probeCalls;

    private RecordingRunContext(long seed, Function<Model, Map<String, Double>> probe) {
        this.seed = seed;
        this.probe = probe;
    }

    /** A context with the given seed and no reporting probe. */
    public static RecordingRunContext seeded(long seed) {
        return new RecordingRunContext(seed, null);
    }

    /** A context with the given seed whose reporting probe answers with {@code probe}. */
    public static RecordingRunContext withProbe(long seed, Function<Model, Map<String, Double>> probe) {
        return new RecordingRunContext(seed, probe);
    }

    /** Cancels the step at the {@code n}-th call of {@link #checkCancelled()} (1 = the first); returns this. */
    public RecordingRunContext cancelAfter(long n) {
        this.cancelAfterChecks = n;
        return this;
    }

    /** Uses {@code dir} as the artifact directory; returns this. */
    public RecordingRunContext artifactsIn(Path dir) {
        this.artifactDir = dir;
        return this;
    }

    /** The x values of {@code series}, in order (empty when the series was never written). */
    public double[] xs(String series) {
        return curves.getOrDefault(series, List.of()).stream().mapToDouble(p -> p[0]).toArray();
    }

    /** The y values of {@code series}, in order. */
    public double[] ys(String series) {
        return curves.getOrDefault(series, List.of()).stream().mapToDouble(p -> p[1]).toArray();
    }

    /** The points {@code (x, y)} of {@code series}, in order (empty when the series was never written). */
    public List<double[]> curve(String series) {
        return curves.getOrDefault(series, List.of()).stream().map(double[]::clone).toList();
    }

    /** The names of the written series, in first-write order. */
    public List<String> series() {
        return List.copyOf(curves.keySet());
    }

    /** Log lines; warnings start with {@code "WARN "}. */
    public List<String> logs() {
        return List.copyOf(logs);
    }

    /** Whether a log line or warning contains {@code text}. */
    public boolean logged(String text) {
        return logs.stream().anyMatch(l -> l.contains(text));
    }

    /** Every progress fraction reported, in order. */
    public List<Double> progress() {
        return List.copyOf(progress);
    }

    /** How often the reporting probe was asked. */
    public int probeCalls() {
        return probeCalls;
    }

    /** How often {@link #checkCancelled()} was called. */
    public long cancellationChecks() {
        return checks;
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

    /** Records the fraction; refuses one outside [0, 1] or below the previous one, as a user would notice. */
    @Override
    public void progress(double fraction, String message) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("progress " + fraction + " is outside [0, 1] (" + message + ")");
        }
        if (!progress.isEmpty() && fraction < progress.get(progress.size() - 1) - 1e-12) {
            throw new IllegalArgumentException("progress ran backwards from " + progress.get(progress.size() - 1)
                    + " to " + fraction + " (" + message + ")");
        }
        progress.add(fraction);
    }

    @Override
    public boolean isCancelled() {
        return checks >= cancelAfterChecks;
    }

    @Override
    public void checkCancelled() {
        checks++;
        if (checks >= cancelAfterChecks) {
            throw new RunCancelledException("cancelled by the test after " + checks + " checks");
        }
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
        if (!Double.isFinite(y) || !Double.isFinite(x)) {
            throw new IllegalArgumentException("curve " + series + " got (" + x + ", " + y + ")");
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
            return probe.apply(model);
        });
    }
}
