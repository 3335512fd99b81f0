package io.purifier.attack.wanet;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.DataRoots;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** A run context for tests: a fixed seed, one directory as artifact dir and only data root, recorded logs. */
final class TestRunContext implements RunContext {

    final List<String> logs = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<String> curves = new ArrayList<>();
    private final long seed;
    private final Path dir;

    TestRunContext(long seed, Path dir) {
        this.seed = seed;
        this.dir = dir;
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
        return dir;
    }

    @Override
    public void progress(double fraction, String message) {
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
        warnings.add(message);
    }

    @Override
    public void curve(String series, double x, double y) {
        curves.add(series + "@" + x + "=" + y);
    }

    @Override
    public DataRoots dataRoots() {
        return userPath -> {
            Path resolved = dir.resolve(userPath).normalize();
            if (!resolved.startsWith(dir) || !Files.exists(resolved)) {
                throw new InvalidInputException("path " + userPath + " is not an existing file under " + dir);
            }
            return resolved;
        };
    }

    @Override
    public Optional<ReportingProbe> reportingProbe() {
        return Optional.empty();
    }
}
