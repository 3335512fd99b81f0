package io.purifier.server.fuzz;

import io.purifier.server.process.ChildJvm;
import io.purifier.server.process.ChildProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives {@link FormatFuzzHarness}: writes {@code count} seeded mutants of a valid file, has the harness parse
 * them in a child JVM with the same caps as the server's upload check, and restarts it after a file that crashed,
 * hung (no answer within the per-file limit) or exhausted its memory. Every such file is contained: it would have
 * cost the server one refused upload, never the server.
 */
public final class FormatFuzzer {

    /**
     * What became of the mutants of one format.
     *
     * @param format   the format (or {@code bundle})
     * @param tried    mutants parsed
     * @param outcomes count per outcome: loaded, refused, unexpected (an exception other than the format's own
     *                 refusal), oom, crash, hang
     * @param examples one example message per outcome
     */
    public record Result(String format, int tried, Map<String, Integer> outcomes, Map<String, String> examples) {
    }

    private final Path work;
    private final Duration perFile;

    /**
     * @param work    where mutants are written
     * @param perFile how long one file may take before it counts as a hang
     */
    public FormatFuzzer(Path work, Duration perFile) {
        this.work = work;
        this.perFile = perFile;
    }

    /**
     * Fuzzes {@code format} ({@code "bundle"} for bundle jars) with {@code count} mutants of {@code original}, in a
     * framework with the bundles of the installation {@code home}.
     */
    public Result run(Path home, String format, byte[] original, int count, long seed) throws Exception {
        Path dir = Files.createDirectories(work.resolve(format));
        Mutator mutator = new Mutator(seed);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path file = dir.resolve("mutant-" + i + (format.equals("bundle") ? ".jar" : ".bin"));
            Files.write(file, mutator.mutate(original).bytes());
            files.add(file.toString());
        }
        Path list = Files.write(dir.resolve("files.txt"), files);
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, String> examples = new TreeMap<>();
        int next = 0;
        while (next < count) {
            AtomicInteger begun = new AtomicInteger(-1);
            AtomicInteger done = new AtomicInteger(next - 1);
            AtomicLong lastProgress = new AtomicLong(System.nanoTime());
            List<String> args = format.equals("bundle") ? List.of(home.toString(), "bundle", list.toString(), Integer.toString(next))
                    : List.of(home.toString(), "model", format, list.toString(), Integer.toString(next));
            ChildProcess child = ChildJvm.forMainClass(FormatFuzzHarness.class.getName(), home).args(args)
                    .heapBytes(256L << 20).offHeapBytes(512L << 20).timeout(Duration.ofHours(6)).directory(dir)
                    .outputCap(64 * 1024)
                    .onStdoutLine(line -> {
                        lastProgress.set(System.nanoTime());
                        if (line.startsWith("BEGIN ")) {
                            begun.set(Integer.parseInt(line.substring(6).trim()));
                        } else if (line.startsWith("{")) {
                            String outcome = field(line, "outcome");
                            synchronized (outcomes) {
                                outcomes.merge(outcome, 1, Integer::sum);
                                examples.putIfAbsent(outcome, field(line, "message"));
                            }
                            done.set(Integer.parseInt(field(line, "i")));
                        }
                    }).build().start();
            long startupGrace = Duration.ofSeconds(60).toNanos();
            boolean started = false;
            boolean hung = false;
            while (child.isAlive()) {
                long quiet = System.nanoTime() - lastProgress.get();
                started |= begun.get() >= 0;
                if (quiet > (started ? perFile.toNanos() : startupGrace)) {
                    hung = true;
                    child.destroy();
                    break;
                }
                try {
                    child.onExit().get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // poll again
                }
            }
            var result = child.await();
            int b = begun.get();
            if (b > done.get()) {
                String what = hung ? "hang" : result.outOfMemory() ? "oom" : "crash";
                synchronized (outcomes) {
                    outcomes.merge(what, 1, Integer::sum);
                    examples.putIfAbsent(what, "mutant " + b + ": " + result.describe());
                }
                next = b + 1;
            } else if (b < 0 && done.get() < next) {
                throw new IllegalStateException("the fuzz harness for " + format + " did not start: " + result.describe()
                        + "\n" + result.stderr());
            } else {
                next = done.get() + 1;
            }
        }
        return new Result(format, count, outcomes, examples);
    }

    private static String field(String jsonLine, String name) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(jsonLine).path(name).asText();
        } catch (Exception e) {
            return "?";
        }
    }
}
