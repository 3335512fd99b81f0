package io.purifier.server.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reports the files a step left in its artifact directory as the step's artifacts. */
final class StepArtifacts {

    private final RunRecorder recorder;

    StepArtifacts(RunRecorder recorder) {
        this.recorder = recorder;
    }

    /**
     * Reports every regular file under {@code dir} (sorted, names relative to {@code dir} with {@code /}); a
     * directory that cannot be read is a warning in the run log, never a failure of the step.
     */
    void report(int step, Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | RuntimeException e) {
            recorder.log(step, "WARN", "could not record artifacts: " + e.getMessage());
            return;
        }
        for (Path file : files) {
            recorder.artifact(step, dir.relativize(file).toString().replace(java.io.File.separatorChar, '/'), file);
        }
    }
}
