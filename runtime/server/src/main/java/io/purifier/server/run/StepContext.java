package io.purifier.server.run;

import io.purifier.api.data.DataRoots;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunCancelledException;
import io.purifier.api.run.RunContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * The {@link RunContext} of one pipeline step: reports logs, curves and progress to the run's {@link RunRecorder},
 * and turns cancellation and time limits into {@link RunCancelledException}s.
 */
final class StepContext implements RunContext {

    private final int stepIndex;
    private final long seed;
    private final Path artifactDir;
    private final RunRecorder recorder;
    private final DataRoots dataRoots;
    private final ReportingProbe probe;
    private final DoubleConsumer runProgress;
    private volatile String cancelReason;

    StepContext(int stepIndex, long pipelineSeed, Path artifactDir, RunRecorder recorder, DataRoots dataRoots,
                ReportingProbe probe, DoubleConsumer runProgress) {
        this.stepIndex = stepIndex;
        this.seed = stepSeed(pipelineSeed, stepIndex);
        this.artifactDir = artifactDir;
        this.recorder = recorder;
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
        recorder.stepProgress(stepIndex, f, message);
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
        recorder.log(stepIndex, level, message);
    }

    @Override
    public void curve(String series, double x, double y) {
        if (series == null || series.isBlank()) {
            throw new IllegalArgumentException("curve series name must not be blank");
        }
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("curve '" + series + "' got a non-finite point (" + x + ", " + y + ")");
        }
        recorder.curvePoint(stepIndex, series, x, y);
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
