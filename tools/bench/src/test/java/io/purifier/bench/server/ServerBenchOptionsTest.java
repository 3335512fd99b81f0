package io.purifier.bench.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ServerBenchOptionsTest {

    private static final Path DOCS = Path.of("/opt/purifier/docs");

    private static String error(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> ServerBenchOptions.parse(List.of(args), DOCS)).getMessage();
    }

    @Test
    void no_options_give_the_documented_defaults() {
        assertEquals(new ServerBenchOptions(5, 500, 4, 12_000, 5, "defense-bcu", DOCS), ServerBenchOptions.parse(List.of(), DOCS));
        assertEquals(ServerBenchOptions.defaults(DOCS), ServerBenchOptions.parse(List.of(), DOCS));
    }

    @Test
    void every_option_is_read() {
        ServerBenchOptions o = ServerBenchOptions.parse(List.of("--repeats", "3", "--requests", "1,000", "--clients", "8",
                "--train-size", "300", "--memory-runs", "3", "--deploy-jar", "defense-npd", "--out", "/tmp/x"), DOCS);
        assertEquals(new ServerBenchOptions(3, 1000, 8, 300, 3, "defense-npd", Path.of("/tmp/x")), o);
    }

    @Test
    void bad_values_are_refused_with_the_option_and_value_named() {
        assertEquals("--repeats must be in [1, 100], got 0", error("--repeats", "0"));
        assertEquals("--clients must be a whole number, got 'four'", error("--clients", "four"));
        assertEquals("--clients must be in [1, 64], got 65", error("--clients", "65"));
        assertEquals("--requests must be in [4, 1000000], got 3", error("--requests", "3"));
        assertEquals("--train-size must be in [100, 60000], got 60001", error("--train-size", "60001"));
        assertEquals("--memory-runs must be in [2, 100], got 1", error("--memory-runs", "1"));
        assertEquals("--memory-runs must be a whole number, got '2.5'", error("--memory-runs", "2.5"));
        assertEquals("--requests needs a value", error("--requests"));
        assertEquals("--out needs a value", error("--out", "--repeats", "2"));
        assertEquals("unknown option '--quick' for bench server", error("--quick"));
    }
}
