package io.purifier.engine.run;

import io.purifier.api.data.DataRoots;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunContext;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * One stage of a plugin step that runs several stages (prune then fine-tune, train a teacher then distil, search
 * triggers then unlearn), presented to the code of that stage as a whole {@link RunContext}: the stage's progress
 * in [0, 1] is mapped into {@code [from, to]} of the step's progress, so the step's progress never runs backwards;
 * curve names and log lines get the stage's prefixes, so two stages that both train (for example with the engine's
 * {@code Trainer}) leave separate curves. Seed, random source, cancellation, artifacts, data roots and the reporting
 * probe are the step's.
 */
public final class StageContext implements RunContext {

    private final RunContext step;
    private final double from;
    private final double to;
    private final String curvePrefix;
    private final String logPrefix;

    private StageContext(RunContext step, double from, double to, String curvePrefix, String logPrefix) {
        this.step = Objects.requireNonNull(step, "step");
        if (!(from >= 0 && from <= to && to <= 1)) {
            throw new IllegalArgumentException("a stage needs 0 <= from <= to <= 1, got [" + from + ", " + to + "]");
        }
        this.from = from;
        this.to = to;
        this.curvePrefix = Objects.requireNonNull(curvePrefix, "curvePrefix");
        this.logPrefix = Objects.requireNonNull(logPrefix, "logPrefix");
    }

    /**
     * A stage of {@code step}.
     *
     * @param step        the step's context
     * @param from        the step's progress when the stage starts
     * @param to          the step's progress when the stage ends
     * @param curvePrefix put in front of every curve name (for example {@code "teacher "} turns {@code train/loss}
     *                    into {@code teacher train/loss}); empty for none
     * @param logPrefix   put in front of every log line and warning (for example {@code "nad teacher: "})
     */
    public static StageContext of(RunContext step, double from, double to, String curvePrefix, String logPrefix) {
        return new StageContext(step, from, to, curvePrefix, logPrefix);
    }

    @Override
    public long seed() {
        return step.seed();
    }

    @Override
    public Random newRandom() {
        return step.newRandom();
    }

    @Override
    public Path artifactDir() {
        return step.artifactDir();
    }

    /** Reports {@code from + fraction * (to - from)} to the step, the fraction clamped to [0, 1]. */
    @Override
    public void progress(double fraction, String message) {
        double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        step.progress(from + f * (to - from), logPrefix + message);
    }

    @Override
    public boolean isCancelled() {
        return step.isCancelled();
    }

    @Override
    public void checkCancelled() {
        step.checkCancelled();
    }

    @Override
    public void log(String message) {
        step.log(logPrefix + message);
    }

    @Override
    public void warn(String message) {
        step.warn(logPrefix + message);
    }

    @Override
    public void curve(String series, double x, double y) {
        step.curve(curvePrefix + series, x, y);
    }

    @Override
    public DataRoots dataRoots() {
        return step.dataRoots();
    }

    @Override
    public Optional<ReportingProbe> reportingProbe() {
        return step.reportingProbe();
    }
}
