package io.purifier.server.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepArtifactsTest {

    @TempDir
    Path dir;

    @Test
    void reports_every_file_sorted_with_names_relative_to_the_step_directory() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("b.png"), "b");
        Files.writeString(dir.resolve("a.json"), "a");
        Files.writeString(dir.resolve("sub/c.txt"), "c");
        RunFixtures.RecordingRecorder recorder = new RunFixtures.RecordingRecorder();
        new StepArtifacts(recorder).report(3, dir);
        assertEquals(List.of("3:a.json", "3:b.png", "3:sub/c.txt"), List.copyOf(recorder.artifacts.keySet()));
        assertEquals(dir.resolve("sub/c.txt"), recorder.artifacts.get("3:sub/c.txt"));
    }

    @Test
    void a_step_without_a_directory_has_no_artifacts() {
        RunFixtures.RecordingRecorder recorder = new RunFixtures.RecordingRecorder();
        new StepArtifacts(recorder).report(0, dir.resolve("missing"));
        assertTrue(recorder.artifacts.isEmpty());
        assertTrue(recorder.logs.isEmpty());
    }
}
