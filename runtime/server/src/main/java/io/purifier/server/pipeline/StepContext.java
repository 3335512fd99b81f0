package io.purifier.server.pipeline;

import io.purifier.api.data.DataRoots;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunCancelledException;
import io.purifier.api.run.RunContext;
import io.purifier.server.store.RunStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * The {@link RunContext} of one pipeline step: writes logs and curves to the history, publishes live events,
 * and turns cancellation and time limits into {@link RunCancelledException}s.
 */
final class StepContext implements RunContext {

    /** Progress is written to the database at most this often per step. */
    private static final long PROGRESS_WRITE_NANOS = 500_000_000L;

    private final long runId;
    private final int stepIndex;
    private final long seed;
    private final Path artifactDir;
    private final RunStore store;
    private final RunEvents events;
    private final DataRoots dataRoots;
    private final ReportingProbe probe;
    private final DoubleConsumer runProgress;
    private volatile String cancelReason;
    private long lastProgressWrite;

    StepContext(long runId, int stepIndex, long pipelineSeed, Path artifactDir, RunStore store, RunEvents events,
                DataRoots dataRoots, ReportingProbe probe, DoubleConsumer runProgress) {
        this.runId = runId;
        this.stepIndex = stepIndex;
        this.seed = stepSeed(pipelineSeed, stepIndex);
        this.artifactDir = artifactDir;
        this.store = store;
        this.events = events;
        this.dataRoots = dataRoots;
        this.probe = probe;
        this.runProgress = runProgress;
    }

    /** Derives a step's seed from the pipeline seed and the step position (SplitMix64 mixing). */
    static long stepSeed(long pipelineSeed, int stepIndex) {
        return new SplittableRandom(pipelineSeed ^ (0x9E3779B97F4A7C15L * (stepIndex + 1))).nextLong() & Long.MAX_VALUE;
    }

    void cancel(String reason) {
        this.cancelReason = reason;
    }

    String cancelReason() {
        return cancelReason;
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
        try {
            return Files.createDirectories(artifactDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create artifact directory " + artifactDir, e);
        }
    }

    @Override
    public void progress(double fraction, String message) {
        double f = Double.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
        long now = System.nanoTime();
        if (now - lastProgressWrite > PROGRESS_WRITE_NANOS || f >= 1) {
            lastProgressWrite = now;
            store.stepProgress(runId, stepIndex, f, message);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", stepIndex);
        data.put("progress", f);
        data.put("message", message);
        events.publish(new RunEvents.Event("step", runId, data));
        runProgress.accept(f);
    }

    @Override
    public boolean isCancelled() {
        return cancelReason != null || Thread.currentThread().isInterrupted();
    }

    @Override
    public void checkCancelled() {
        if (cancelReason != null) {
            throw new RunCancelledException(cancelReason);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new RunCancelledException("the step's thread was interrupted");
        }
    }

    @Override
    public void log(String message) {
        write("INFO", message);
    }

    @Override
    public void warn(String message) {
        write("WARN", message);
    }

    private void write(String level, String message) {
        long seq = store.log(runId, stepIndex, level, message);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("seq", seq);
        data.put("at", java.time.Instant.now().toString());
        data.put("step", stepIndex);
        data.put("level", level);
        data.put("message", message);
        events.publish(new RunEvents.Event("log", runId, data));
    }

    @Override
    public void curve(String series, double x, double y) {
        if (series == null || series.isBlank()) {
            throw new IllegalArgumentException("curve series name must not be blank");
        }
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("curve '" + series + "' got a non-finite point (" + x + ", " + y + ")");
        }
        store.curvePoint(runId, stepIndex, series, x, y);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", stepIndex);
        data.put("series", series);
        data.put("x", x);
        data.put("y", y);
        events.publish(new RunEvents.Event("curve", runId, data));
    }

    @Override
    public DataRoots dataRoots() {
        return dataRoots;
    }

    @Override
    public Optional<ReportingProbe> reportingProbe() {
        return Optional.ofNullable(probe);
    }
}
