package io.purifier.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every benchmark answers --help with its usage (exit 0), without starting a server. */
class BenchMainTest {

    @TempDir
    Path home;

    private String run(int expectedCode, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            assertEquals(expectedCode, BenchMain.run(List.of(args), home, out));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void help_lists_the_benchmarks() throws Exception {
        String usage = run(0, "--help");
        assertTrue(usage.startsWith("Usage: purifier-bench <benchmark> [options]"), usage);
        assertTrue(usage.contains("matrix") && usage.contains("server") && usage.contains("engine"), usage);
        assertEquals(usage, run(2));
    }

    @Test
    void each_benchmark_answers_help_with_its_options() throws Exception {
        assertTrue(run(0, "matrix", "--help").startsWith("Usage: purifier-bench matrix [--profile full|quick|paper|paper-check] [--quick] [--seeds N] [--robustness]\n"
                + "                             [--models m] [--attacks a,b] [--defenses x,y] [--parallel N] [--out DIR]"));
        assertTrue(run(0, "server", "-h").startsWith("Usage: purifier-bench server [--repeats R]"));
        assertTrue(run(0, "workers", "--help").startsWith("Usage: purifier-bench workers [--workers N] [--step-seconds S]"));
    }

    @Test
    void an_unknown_benchmark_or_option_is_named() {
        IllegalArgumentException bench = assertThrows(IllegalArgumentException.class, () -> run(2, "disk"));
        assertTrue(bench.getMessage().startsWith("unknown benchmark 'disk'"), bench.getMessage());
        IllegalArgumentException option = assertThrows(IllegalArgumentException.class, () -> run(2, "matrix", "--fast"));
        assertEquals("unknown option '--fast' for matrix (see --help)", option.getMessage());
    }
}
