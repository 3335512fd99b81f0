package io.purifier.dist;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command of the assembled installation ({@code bin/purifier}, {@code bin/purifier-bench}) and of the
 * checkout's {@code ./purifier} answers {@code --help} with a usage line and exit code 0, never a stack trace, and
 * without building, starting a server or touching the history.
 */
class CommandHelpIT {

    private static final Path INSTALLATION = Path.of("target", "purifier").toAbsolutePath();
    private static final Path CHECKOUT_SCRIPT = Path.of("..", "purifier").toAbsolutePath().normalize();

    /** The command's exit code and everything it printed (stdout and stderr). */
    private record Result(int code, String output) {
    }

    private static Result run(Path script, String args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        command.addAll(List.of(args.split(" ")));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not answer within 60 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void assertUsage(Path script, String args, String usage) throws Exception {
        Result r = run(script, args);
        String shown = script.getFileName() + " " + args + " printed:\n" + r.output();
        assertEquals(0, r.code(), shown);
        assertTrue(r.output().lines().anyMatch(l -> l.startsWith(usage)), shown);
        assertFalse(r.output().contains("Exception") || r.output().contains("\tat "), shown);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--help|Usage: purifier <command>",
            "serve --help|Usage: purifier serve",
            "run --help|Usage: purifier run FILE",
            "run pipeline.json --help|Usage: purifier run FILE",
            "user --help|Usage: purifier user add NAME",
            "user add --help|Usage: purifier user add NAME",
            "user list --help|Usage: purifier user list",
            "user revoke --help|Usage: purifier user revoke NAME",
            "user token --help|Usage: purifier user token NAME",
            "version --help|Usage: purifier version",
            "bench --help|Usage: purifier-bench <benchmark>",
            "bench engine --help|Usage: purifier-bench engine",
            "bench matrix --help|Usage: purifier-bench matrix",
            "bench server --help|Usage: purifier-bench server"})
    void bin_purifier(String args, String usage) throws Exception {
        Map<String, FileTime> before = dataFiles();
        assertUsage(INSTALLATION.resolve("bin/purifier"), args, usage);
        assertEquals(before, dataFiles(), "help neither creates nor opens the history");
    }

    /** The files of the installation's data directory (which a developer's installation may already have). */
    private static Map<String, FileTime> dataFiles() throws IOException {
        Path data = INSTALLATION.resolve("data");
        Map<String, FileTime> files = new TreeMap<>();
        if (Files.isDirectory(data)) {
            try (Stream<Path> all = Files.walk(data, 1)) {
                for (Path f : all.filter(Files::isRegularFile).toList()) {
                    files.put(f.getFileName().toString(), Files.getLastModifiedTime(f));
                }
            }
        }
        return files;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--help|Usage: purifier-bench <benchmark>",
            "-h|Usage: purifier-bench <benchmark>",
            "engine --help|Usage: purifier-bench engine",
            "engine small-cnn --batches 2 -h|Usage: purifier-bench engine",
            "matrix --help|Usage: purifier-bench matrix",
            "matrix --quick --help|Usage: purifier-bench matrix",
            "server --help|Usage: purifier-bench server"})
    void bin_purifier_bench(String args, String usage) throws Exception {
        assertUsage(INSTALLATION.resolve("bin/purifier-bench"), args, usage);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--help|Usage: purifier new defense NAME",
            "defense --help|Usage: purifier new defense NAME",
            "defense my-defense --help|Usage: purifier new defense NAME"})
    void sdk_bin_purifier_new(String args, String usage) throws Exception {
        assertUsage(INSTALLATION.resolve("sdk/bin/purifier-new"), args, usage);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--help|Usage: ./purifier <command>",
            "help|Usage: ./purifier <command>",
            "build --help|Usage: ./purifier build",
            "test --help|Usage: ./purifier test",
            "serve --help|Usage: purifier serve",
            "run --help|Usage: purifier run FILE",
            "user add --help|Usage: purifier user add NAME",
            "version --help|Usage: purifier version",
            "bench --help|Usage: ./purifier bench engine",
            "bench engine --help|Usage: purifier-bench engine",
            "bench matrix --help|Usage: purifier-bench matrix",
            "bench server --help|Usage: purifier-bench server",
            "new --help|Usage: purifier new defense NAME",
            "new defense --help|Usage: purifier new defense NAME"})
    void the_checkout_script(String args, String usage) throws Exception {
        assertUsage(CHECKOUT_SCRIPT, args, usage);
    }
}
