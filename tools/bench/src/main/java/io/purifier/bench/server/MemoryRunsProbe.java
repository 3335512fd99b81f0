package io.purifier.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.bench.Machine;
import io.purifier.bench.RunDetails;
import io.purifier.client.ApiClient;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The server's memory over repeated runs: the same tiny BadNets pipeline runs {@code --memory-runs} times, one run
 * after the other (the first trains the attacked model, the others take it from the attack cache and repeat the rest:
 * data, poisoning, evaluation), and the resident size of this JVM is read before the first run and after each. The
 * runs execute in worker processes, so what grows here is what the server keeps of a run (records, events, logs);
 * the benchmark's HTTP clients live in the same JVM and count too.
 */
final class MemoryRunsProbe {

    /** The pipeline's seed. */
    static final long SEED = 21;

    private static final Duration RUN_LIMIT = Duration.ofMinutes(30);

    private final ApiClient api;
    private final PrintStream out;
    private final LongSupplier rssKb;

    MemoryRunsProbe(ApiClient api, PrintStream out) {
        this(api, out, Machine::processRssKb);
    }

    MemoryRunsProbe(ApiClient api, PrintStream out, LongSupplier rssKb) {
        this.api = api;
        this.out = out;
        this.rssKb = rssKb;
    }

    /**
     * The tiny BadNets pipeline: Fashion-MNIST with 300 training and 100 test images, BadNets poisoning 20 % of
     * them, a small CNN trained for one epoch (batches of 32), clean accuracy and attack success rate.
     */
    static ObjectNode pipeline(ObjectMapper json) {
        ObjectNode p = json.createObjectNode();
        p.put("name", "bench server: memory run");
        p.put("seed", SEED);
        p.putObject("dataset").put("id", "fashion-mnist").putObject("params").put("trainSize", 300).put("testSize", 100);
        ObjectNode model = p.putObject("model").put("source", "train");
        model.putObject("architecture").put("id", "small-cnn");
        model.putObject("training").put("epochs", 1).put("batchSize", 32);
        p.putObject("attack").put("id", "badnets").putObject("params").put("poisonRatio", 0.2);
        var metrics = p.putArray("metrics");
        metrics.addObject().put("id", "c-acc");
        metrics.addObject().put("id", "asr");
        return p;
    }

    /** The pipeline in words, for the report. */
    static String description() {
        return "fashion-mnist 300 training / 100 test images, BadNets (20 % poisoned), small-cnn, 1 epoch, C-ACC and ASR";
    }

    /** The memory-relevant options this JVM was started with (heap, collector, JavaCPP caps), or "none". */
    static String jvmOptions(List<String> arguments) {
        String options = arguments.stream()
                .filter(a -> a.startsWith("-Xm") || a.startsWith("-XX:") || a.startsWith("-Dorg.bytedeco.javacpp.max"))
                .collect(Collectors.joining(" "));
        return options.isEmpty() ? "none" : options;
    }

    /** Runs the pipeline {@code runs} times and reads the resident size around the runs. */
    ServerBenchReport.Memory measure(ObjectMapper json, int runs) throws Exception {
        long before = rssKb.getAsLong();
        List<ServerBenchReport.MemoryRun> done = new ArrayList<>();
        for (int k = 0; k < runs; k++) {
            long runId = api.submitRun(pipeline(json));
            JsonNode run;
            try {
                run = api.awaitRun(runId, RUN_LIMIT, Duration.ofMillis(100)).path("run");
            } catch (TimeoutException e) {
                throw new IllegalStateException("memory run " + (k + 1) + " (run " + runId + ") did not end within "
                        + RUN_LIMIT.toMinutes() + " min", e);
            }
            long rss = rssKb.getAsLong();
            ServerBenchReport.MemoryRun r = new ServerBenchReport.MemoryRun(runId, run.path("status").asText(),
                    RunDetails.wallSeconds(run), rss, run.hasNonNull("error") ? run.get("error").asText() : null);
            out.printf("memory run %d/%d (run %d) %s after %.0f s; resident size %d MB%n", k + 1, runs, runId,
                    r.status(), r.wallSeconds(), rss / 1024);
            done.add(r);
        }
        return new ServerBenchReport.Memory(description(),
                jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()), before, done);
    }
}
