package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.bench.RunDetails;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Runs the cells of a benchmark plan through the server's run queue, one after another, and collects their results.
 * A cell whose identical pipeline already succeeded in the history with the same trainer version is not recomputed
 * (resume); its peak memory comes from the previous report, when that has it.
 */
public final class BenchRunner {

    private static final long RSS_SAMPLE_MS = 200;

    private final RunsApi runs;
    private final String trainerVersion;
    private final Map<Long, Double> knownPeaksMb;
    private final LongSupplier rssKb;
    private final ObjectMapper json;
    private final PrintStream out;

    /**
     * @param runs           the run history
     * @param trainerVersion the model trainer's version; only runs recorded with it are reused
     * @param knownPeaksMb   run id → peak resident memory in MB, from the previous report of this plan
     * @param rssKb          resident memory of the server (and its children) in KB, sampled while a cell runs
     * @param json           JSON mapper
     * @param out            where progress lines go
     */
    BenchRunner(RunsApi runs, String trainerVersion, Map<Long, Double> knownPeaksMb, LongSupplier rssKb,
                ObjectMapper json, PrintStream out) {
        this.runs = runs;
        this.trainerVersion = trainerVersion;
        this.knownPeaksMb = Map.copyOf(knownPeaksMb);
        this.rssKb = rssKb;
        this.json = json;
        this.out = out;
    }

    /**
     * Runs (or reuses) every cell; {@code pipelines} gives each cell's pipeline JSON and {@code afterEach} receives
     * the results so far after every cell (to keep a partial report).
     */
    public List<BenchResult> run(List<BenchCell> cells, Function<BenchCell, ObjectNode> pipelines,
                                 Consumer<List<BenchResult>> afterEach) throws Exception {
        List<BenchResult> results = new ArrayList<>();
        int i = 0;
        for (BenchCell cell : cells) {
            i++;
            ObjectNode pipeline = pipelines.apply(cell);
            Optional<BenchResult> done = previous(cell, pipeline);
            BenchResult result = done.isPresent() ? done.get() : execute(cell, pipeline);
            results.add(result);
            out.printf("[%d/%d] %-40s %-10s %s%s%n", i, cells.size(), cell.label(), result.status(),
                    MatrixTables.cellText(result), result.reused() ? "  (from history, run " + result.runId() + ")" : "");
            out.flush();
            afterEach.accept(List.copyOf(results));
        }
        return results;
    }

    /** A succeeded run with the same name, pipeline and trainer version, if any. */
    Optional<BenchResult> previous(BenchCell cell, ObjectNode pipeline) throws Exception {
        JsonNode wanted = normalized(pipeline);
        for (long id : runs.succeededRunsNamed(pipeline.path("name").asText())) {
            JsonNode detail = runs.detail(id);
            if (normalized(detail.path("spec")).equals(wanted)
                    && trainerVersion.equals(detail.path("provenance").path("trainerVersion").asText(null))) {
                return Optional.of(result(cell, detail, knownPeaksMb.getOrDefault(id, 0.0), true));
            }
        }
        return Optional.empty();
    }

    /** The same JSON as the history stores it (numbers as read back from text, e.g. a long seed as an int). */
    private JsonNode normalized(JsonNode node) throws Exception {
        return json.readTree(json.writeValueAsString(node));
    }

    private BenchResult execute(BenchCell cell, ObjectNode pipeline) throws Exception {
        AtomicLong peak = new AtomicLong(rssKb.getAsLong());
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(rssKb.getAsLong(), Math::max);
                try {
                    Thread.sleep(RSS_SAMPLE_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "purifier-bench-rss");
        sampler.setDaemon(true);
        sampler.start();
        JsonNode detail;
        try {
            detail = runs.awaitEnd(runs.submit(pipeline));
        } finally {
            sampler.interrupt();
        }
        return result(cell, detail, peak.get() / 1024.0, false);
    }

    private static BenchResult result(BenchCell cell, JsonNode detail, double peakMb, boolean reused) {
        int lastStep = detail.path("steps").size() - 1;
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (JsonNode m : detail.path("metrics")) {
            if (m.path("stepIndex").asInt() == lastStep && MatrixTables.METRICS.contains(m.path("name").asText())) {
                metrics.put(m.path("name").asText(), m.path("value").asDouble());
            }
        }
        JsonNode run = detail.path("run");
        return new BenchResult(cell, run.path("id").asLong(), run.path("status").asText(), metrics, RunDetails.wallSeconds(run), peakMb,
                reused, run.hasNonNull("error") ? run.get("error").asText() : null);
    }
}
