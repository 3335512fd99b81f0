package io.purifier.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.server.pipeline.PipelineSpec;
import io.purifier.server.pipeline.RunService;
import io.purifier.server.store.RunRecords;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.RunStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the cells of a benchmark plan through the ordinary run queue, one after another, and collects their
 * results. A cell whose identical pipeline already succeeded in the history is not recomputed (resume).
 */
public final class BenchRunner {

    /** Submits a pipeline and returns its run id (the run service in production, a fake in tests). */
    @FunctionalInterface
    public interface Submitter {
        long submit(PipelineSpec spec) throws Exception;
    }

    private final RunStore store;
    private final Submitter submitter;
    private final String trainerVersion;
    private final ObjectMapper json;
    private final PrintStream out;

    /**
     * @param store     the run history
     * @param submitter queues a pipeline
     * @param trainerVersion the model trainer's version; only runs recorded with it are reused
     * @param json      JSON mapper
     * @param out       where progress lines go
     */
    public BenchRunner(RunStore store, Submitter submitter, String trainerVersion, ObjectMapper json, PrintStream out) {
        this.store = store;
        this.trainerVersion = trainerVersion;
        this.submitter = submitter;
        this.json = json;
        this.out = out;
    }

    /** A runner that submits through {@code runs} as {@code user}. */
    public static BenchRunner of(RunStore store, RunService runs, String user, String trainerVersion, ObjectMapper json,
                                 PrintStream out) {
        return new BenchRunner(store, spec -> runs.submit(spec, user), trainerVersion, json, out);
    }

    /** Runs (or reuses) every cell; {@code pipelines} gives each cell's pipeline JSON. */
    public List<BenchResult> run(List<BenchCell> cells, java.util.function.Function<BenchCell, ObjectNode> pipelines)
            throws Exception {
        List<BenchResult> results = new ArrayList<>();
        int i = 0;
        for (BenchCell cell : cells) {
            i++;
            ObjectNode pipeline = pipelines.apply(cell);
            Optional<BenchResult> done = previous(cell, pipeline);
            BenchResult result = done.isPresent() ? done.get() : execute(cell, pipeline);
            results.add(result);
            out.printf("[%d/%d] %-40s %-10s %s%s%n", i, cells.size(), cell.label(), result.status(),
                    BenchTables.cellText(result), result.reused() ? "  (from history, run " + result.runId() + ")" : "");
            out.flush();
        }
        return results;
    }

    /**
     * A succeeded run with the same name and pipeline, trained by the same trainer version (a new engine or native
     * build changes the numbers, so older runs are not reused), if any.
     */
    Optional<BenchResult> previous(BenchCell cell, ObjectNode pipeline) throws IOException {
        // stored specs are PipelineSpec records written as text and read back: compare in that same form
        JsonNode normalized = json.readTree(json.writeValueAsString(json.treeToValue(pipeline, PipelineSpec.class)));
        for (RunRecords.RunSummary run : store.byName(pipeline.path("name").asText())) {
            if (run.status() != RunStatus.SUCCEEDED) {
                continue;
            }
            RunRecords.RunDetail detail = store.detail(run.id()).orElseThrow();
            if (detail.spec().equals(normalized)
                    && trainerVersion.equals(detail.provenance().path("trainerVersion").asText(null))) {
                return Optional.of(result(cell, detail, wall(detail), peakFromSummary(detail), true));
            }
        }
        return Optional.empty();
    }

    private BenchResult execute(BenchCell cell, ObjectNode pipeline) throws Exception {
        PipelineSpec spec = json.treeToValue(pipeline, PipelineSpec.class);
        AtomicLong peak = new AtomicLong(rssKb());
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(rssKb(), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "purifier-bench-rss");
        sampler.setDaemon(true);
        sampler.start();
        long runId = submitter.submit(spec);
        RunRecords.RunDetail detail;
        try {
            while (true) {
                detail = store.detail(runId).orElseThrow();
                if (detail.run().status().isFinal()) {
                    break;
                }
                Thread.sleep(500);
            }
        } finally {
            sampler.interrupt();
        }
        double peakMb = peak.get() / 1024.0;
        store.log(runId, null, "INFO", String.format("benchmark cell %s: peak RSS %.0f MB", cell.label(), peakMb));
        return result(cell, detail, wall(detail), peakMb, false);
    }

    private BenchResult result(BenchCell cell, RunRecords.RunDetail detail, double wall, double peakMb, boolean reused) {
        int lastStep = detail.steps().size() - 1;
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (RunRecords.MetricRow m : detail.metrics()) {
            if (m.stepIndex() == lastStep && BenchTables.METRICS.contains(m.name())) {
                metrics.put(m.name(), m.value());
            }
        }
        return new BenchResult(cell, detail.run().id(), detail.run().status().name(), metrics, wall, peakMb, reused,
                detail.run().error());
    }

    private static double wall(RunRecords.RunDetail detail) {
        if (detail.run().startedAt() == null || detail.run().finishedAt() == null) {
            return 0;
        }
        return (detail.run().finishedAt().toEpochMilli() - detail.run().startedAt().toEpochMilli()) / 1000.0;
    }

    private double peakFromSummary(RunRecords.RunDetail detail) {
        for (RunRecords.LogLine line : store.logs(detail.run().id(), 0, 10_000)) {
            String m = line.message();
            if (m.startsWith("benchmark cell ") && m.contains("peak RSS ")) {
                try {
                    return Double.parseDouble(m.substring(m.indexOf("peak RSS ") + 9).replace(" MB", "").trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /**
     * The resident set size in KB (Linux) of this process and its descendants (the runs' worker processes), or 0 when
     * unknown.
     */
    static long rssKb() {
        long total = rssKb(ProcessHandle.current().pid());
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            total += rssKb(child.pid());
        }
        return total;
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

}
