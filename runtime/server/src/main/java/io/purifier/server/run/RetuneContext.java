package io.purifier.server.run;

import io.purifier.api.data.DataRoots;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunContext;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

/**
 * The context the retuning attack trains under, inside a step that already did its own work: its curves go under
 * {@code retune/} (so they do not mix with the defense's training curves), its progress messages say they belong to
 * the retuning attack, and it offers no reporting probe (the attack's fine-tuning is not a defense to report on).
 * Everything else is the step's.
 */
final class RetuneContext implements RunContext {

    static final String CURVE_PREFIX = "retune/";

    private final RunContext step;
    private final String label;

    /**
     * @param step  the step's context
     * @param label what is being retuned, for progress messages ("purified model")
     */
    RetuneContext(RunContext step, String label) {
        this.step = step;
        this.label = label;
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

    @Override
    public void progress(double fraction, String message) {
        step.progress(fraction, "retuning attack on the " + label + ": " + message);
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
        step.log("retuning attack: " + message);
    }

    @Override
    public void warn(String message) {
        step.warn("retuning attack: " + message);
    }

    @Override
    public void curve(String series, double x, double y) {
        step.curve(CURVE_PREFIX + series, x, y);
    }

    @Override
    public DataRoots dataRoots() {
        return step.dataRoots();
    }

    @Override
    public Optional<ReportingProbe> reportingProbe() {
        return Optional.empty();
    }
}
