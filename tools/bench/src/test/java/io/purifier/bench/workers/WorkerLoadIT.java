package io.purifier.bench.workers;

import io.purifier.bench.BenchTestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short version of {@code purifier-bench workers}: 10 simulated workers, 2-second steps, through the real Slurm
 * executor over stand-in Slurm commands; every run must land SUCCEEDED in the history and the table must be printed.
 */
class WorkerLoadIT {

    @TempDir
    Path dir;

    @Test
    void ten_simulated_workers_report_their_runs_to_success_and_the_figures_are_printed() throws Exception {
        Path home = BenchTestHome.create(dir);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            code = WorkerLoadCommand.run(home, List.of("--workers", "10", "--step-seconds", "2"), out);
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("| 10 of 10 | 0 |"), text);
        assertTrue(text.contains("report p50 / p99 ms"), text);
    }
}
