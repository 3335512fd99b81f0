package io.purifier.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command answers --help with its usage and exit code 0, before it does anything. */
class MainHelpTest {

    private static String run(int expectedCode, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedCode, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--help|Usage: purifier <command> [options]",
            "serve --help|Usage: purifier serve [--port N] [--bind ADDRESS]",
            "serve --port 9 -h|Usage: purifier serve",
            "run --help|Usage: purifier run FILE [--json]",
            "run pipeline.json --help|Usage: purifier run FILE [--json]",
            "user --help|Usage: purifier user add NAME",
            "user add --help|Usage: purifier user add NAME [--role admin|researcher|viewer]",
            "user add alice --role admin --help|Usage: purifier user add NAME",
            "user list --help|Usage: purifier user list",
            "user revoke --help|Usage: purifier user revoke NAME",
            "user token -h|Usage: purifier user token NAME",
            "version --help|Usage: purifier version"})
    void answers_help_with_the_usage_of_the_command(String args, String usage) throws Exception {
        String text = run(0, args.split(" "));
        assertTrue(text.startsWith(usage), text);
    }

    @Test
    void a_command_without_its_arguments_shows_its_usage_as_bad_usage() throws Exception {
        assertTrue(run(2).startsWith("Usage: purifier <command>"));
        assertTrue(run(2, "run").startsWith("Usage: purifier run FILE"));
        assertTrue(run(2, "user").startsWith("Usage: purifier user add NAME"));
    }

    @Test
    void an_unknown_command_and_the_benchmarks_are_named() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> run(2, "serf"));
        assertEquals("unknown command 'serf'; see 'purifier --help'", unknown.getMessage());
        IllegalArgumentException bench = assertThrows(IllegalArgumentException.class, () -> run(2, "bench", "matrix"));
        assertTrue(bench.getMessage().contains("bin/purifier-bench"), bench.getMessage());
    }
}
