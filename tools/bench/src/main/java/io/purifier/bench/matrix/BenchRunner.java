package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.bench.RunDetails;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Runs the cells of a benchmark plan through the server's run queue and collects their results. Cells are submitted
 * in parallel, up to {@code inFlight} runs queued or running at once (the executor's slots plus one, so every slot
 * stays busy: on a Slurm cluster the matrix takes about the time of its slowest cell). A cell whose identical pipeline
 * already succeeded in the history with the same trainer version is not recomputed (resume); its peak memory comes
 * from the previous report, when that has it. A cell the history does not have is taken from the matrix's earlier
 * report ({@link MatrixRecord}) when that recorded the same pipeline and trainer version, except an undefended cell
 * this invocation runs: that one trains the attacked model the defense cells start from, which a new history does not
 * have. Cells a part of the matrix does not run ({@code --attacks}, {@code --defenses}) are only looked up, so the
 * results hold every cell of the plan found. A cell's peak memory is the largest resident size of the server and its
 * children sampled while its run was running (with several runs at once, it includes theirs). Pipelines are compared
 * and fingerprinted as the server shows them back ({@link HistoryForm}: its installation's paths made relative), so a
 * cell naming a file of the installation matches its own history and another installation's report; the submitted
 * pipeline keeps the absolute paths the server needs. A cell this part runs that fails (e.g. the machine lacks the
 * dataset) does not erase a success the earlier report recorded for the same pipeline: that result is kept, and the
 * failure is printed. Every 10 minutes a line per running cell says how far its run is and what its running step
 * says ({@code epoch 37/100}), so the log of a part whose cells take hours shows that it moves.
 */
public final class BenchRunner {

    private static final long POLL_MS = 1000;
    /** How often the cells running are reported while none ends: long cells (hours) still show they move. */
    private static final long PROGRESS_MS = 10 * 60 * 1000;
    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED");

    private final RunsApi runs;
    private final String trainerVersion;
    private final Map<Long, Double> knownPeaksMb;
    private final MatrixRecord record;
    private final HistoryForm historyForm;
    private final LongSupplier rssKb;
    private final ObjectMapper json;
    private final PrintStream out;
    private final int inFlight;
    private final long pollMillis;
    private final long progressMillis;

    /**
     * @param runs           the run history
     * @param trainerVersion the model trainer's version; only runs recorded with it are reused
     * @param knownPeaksMb   run id → peak resident memory in MB, from the previous report of this plan
     * @param record         the cells of the previous report of this plan, for cells the history does not have
     * @param historyForm    how the server shows a pipeline back (its installation's paths made relative); cells are
     *                       compared with the history and fingerprinted in that form
     * @param rssKb          resident memory of the server (and its children) in KB, sampled while a cell runs
     * @param json           JSON mapper
     * @param out            where progress lines go
     * @param inFlight       how many cells may be queued or running at once
     * @param pollMillis     how often the runs in flight are looked at
     * @param progressMillis how often a line per running cell gives its progress and the message of its running step
     *                       (e.g. {@code epoch 37/100}); 0 = at every poll
     */
    BenchRunner(RunsApi runs, String trainerVersion, Map<Long, Double> knownPeaksMb, MatrixRecord record,
                HistoryForm historyForm, LongSupplier rssKb, ObjectMapper json, PrintStream out, int inFlight,
                long pollMillis, long progressMillis) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("at least one cell must be in flight, got " + inFlight);
        }
        this.runs = runs;
        this.trainerVersion = trainerVersion;
        this.knownPeaksMb = Map.copyOf(knownPeaksMb);
        this.record = record;
        this.historyForm = historyForm;
        this.rssKb = rssKb;
        this.json = json;
        this.out = out;
        this.inFlight = inFlight;
        this.pollMillis = pollMillis;
        this.progressMillis = progressMillis;
    }

    /** A runner that reports the running cells' progress every 10 minutes. */
    BenchRunner(RunsApi runs, String trainerVersion, Map<Long, Double> knownPeaksMb, MatrixRecord record,
                HistoryForm historyForm, LongSupplier rssKb, ObjectMapper json, PrintStream out, int inFlight,
                long pollMillis) {
        this(runs, trainerVersion, knownPeaksMb, record, historyForm, rssKb, json, out, inFlight, pollMillis, PROGRESS_MS);
    }

    /** A runner that polls once a second. */
    BenchRunner(RunsApi runs, String trainerVersion, Map<Long, Double> knownPeaksMb, MatrixRecord record,
                HistoryForm historyForm, LongSupplier rssKb, ObjectMapper json, PrintStream out, int inFlight) {
        this(runs, trainerVersion, knownPeaksMb, record, historyForm, rssKb, json, out, inFlight, POLL_MS);
    }

    /** A submitted cell: its place in the plan and the largest memory sampled while its run was running. */
    private static final class Submitted {
        final int index;
        long peakKb;
        boolean running;

        Submitted(int index) {
            this.index = index;
        }
    }

    /**
     * Runs (or reuses) every cell; {@code pipelines} gives each cell's pipeline JSON and {@code afterEach} receives
     * the results so far, in plan order, after every cell (to keep a partial report).
     */
    public List<BenchResult> run(List<BenchCell> cells, Function<BenchCell, ObjectNode> pipelines,
                                 Consumer<List<BenchResult>> afterEach) throws Exception {
        return run(cells, cell -> true, pipelines, afterEach);
    }

    /**
     * Runs the cells {@code toRun} selects (or reuses them from the history) and takes the other cells of the plan
     * from the history where they are there, so that a matrix run in parts reports every cell found so far.
     *
     * @param cells     every cell of the plan, in plan order
     * @param toRun     the cells this invocation runs when the history does not have them; the others are only
     *                  looked up, and left out of the results when the history does not have them
     * @param pipelines each cell's pipeline JSON
     * @param afterEach receives the results so far, in plan order, after every cell (to keep a partial report)
     * @return the results in plan order: every cell that ran or was found in the history
     */
    public List<BenchResult> run(List<BenchCell> cells, Predicate<BenchCell> toRun, Function<BenchCell, ObjectNode> pipelines,
                                 Consumer<List<BenchResult>> afterEach) throws Exception {
        BenchResult[] results = new BenchResult[cells.size()];
        List<ObjectNode> specs = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        Deque<Integer> waiting = new ArrayDeque<>();
        Map<Integer, BenchResult> found = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            BenchCell cell = cells.get(i);
            ObjectNode pipeline = pipelines.apply(cell);
            specs.add(pipeline);
            JsonNode shown = historyForm.apply(pipeline);
            String key = MatrixRecord.key(shown, trainerVersion);
            keys.add(key);
            boolean runs = toRun.test(cell);
            Optional<BenchResult> previous = previous(cell, shown).map(r -> r.withPipelineKey(key));
            if (previous.isEmpty() && !(runs && BenchCell.NO_DEFENSE.equals(cell.defense()))) {
                previous = record.find(cell, key);
                if (previous.isEmpty() && !shown.equals(pipeline)) {
                    // reports written before fingerprints took the history's form keyed such a cell by its absolute
                    // paths: still found on the installation that wrote them, and rewritten to the new key
                    previous = record.find(cell, MatrixRecord.key(pipeline, trainerVersion)).map(r -> r.withPipelineKey(key));
                }
            }
            if (previous.isPresent()) {
                found.put(i, previous.get());
            } else if (runs) {
                waiting.add(i);
            }
        }
        int total = found.size() + waiting.size();
        int[] done = {0};
        for (Map.Entry<Integer, BenchResult> e : found.entrySet()) {
            record(results, e.getKey(), e.getValue(), ++done[0], total, afterEach);
        }
        Map<Long, Submitted> submitted = new LinkedHashMap<>();
        long lastReport = System.nanoTime();
        while (!waiting.isEmpty() || !submitted.isEmpty()) {
            while (submitted.size() < inFlight && !waiting.isEmpty()) {
                int i = waiting.poll();
                submitted.put(runs.submit(specs.get(i)), new Submitted(i));
            }
            long rss = rssKb.getAsLong();
            for (Iterator<Map.Entry<Long, Submitted>> it = submitted.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Submitted> e = it.next();
                String status = runs.status(e.getKey());
                Submitted cell = e.getValue();
                cell.running = "RUNNING".equals(status);
                if (cell.running) {
                    cell.peakKb = Math.max(cell.peakKb, rss);
                } else if (ENDED.contains(status)) {
                    it.remove();
                    BenchCell planned = cells.get(cell.index);
                    String key = keys.get(cell.index);
                    BenchResult r = result(planned, runs.detail(e.getKey()), Math.max(cell.peakKb, rss) / 1024.0, false)
                            .withPipelineKey(key);
                    Optional<BenchResult> recorded = "SUCCEEDED".equals(r.status()) ? Optional.empty() : record.find(planned, key);
                    if (recorded.isPresent()) {
                        out.printf("%s: run %d of this part ended %s (%s); the report keeps the recorded result of the same"
                                        + " pipeline%n", planned.label(), r.runId(), r.status(),
                                r.error() == null ? "no error given" : r.error());
                        r = recorded.get();
                    }
                    record(results, cell.index, r, ++done[0], total, afterEach);
                }
            }
            if ((System.nanoTime() - lastReport) / 1_000_000 >= progressMillis) {
                lastReport = System.nanoTime();
                reportProgress(submitted, cells);
            }
            if (!submitted.isEmpty()) {
                Thread.sleep(pollMillis);
            }
        }
        return Arrays.stream(results).filter(Objects::nonNull).toList();
    }

    /**
     * Prints a line per running cell: its run, how far the run is and what its running step says, e.g. {@code
     * ... preact-resnet18-w0.5/badnets/none: run 65 is 38 % done (train ...: epoch 37/100), running for 2:14 h}.
     */
    private void reportProgress(Map<Long, Submitted> submitted, List<BenchCell> cells) throws Exception {
        for (Map.Entry<Long, Submitted> e : submitted.entrySet()) {
            if (!e.getValue().running) {
                continue;
            }
            JsonNode detail = runs.detail(e.getKey());
            JsonNode run = detail.path("run");
            String step = "";
            for (JsonNode s : detail.path("steps")) {
                if ("RUNNING".equals(s.path("status").asText()) && !s.path("message").asText("").isBlank()) {
                    step = " (" + s.path("title").asText(s.path("kind").asText()) + ": " + s.path("message").asText() + ")";
                }
            }
            long minutes = run.hasNonNull("startedAt")
                    ? Duration.between(Instant.parse(run.get("startedAt").asText()), Instant.now()).toMinutes() : 0;
            out.printf(Locale.ROOT, "    ... %s: run %d is %.0f %% done%s, running for %d:%02d h%n",
                    cells.get(e.getValue().index).label(), e.getKey(), 100 * run.path("progress").asDouble(), step,
                    minutes / 60, minutes % 60);
            out.flush();
        }
    }

    /** Keeps the result of cell {@code index}, prints it, and hands on the results so far in plan order. */
    private void record(BenchResult[] results, int index, BenchResult result, int count, int total,
                        Consumer<List<BenchResult>> afterEach) {
        results[index] = result;
        out.printf("[%d/%d] %-40s %-10s %s%s%n", count, total, result.cell().label(), result.status(),
                MatrixTables.cellText(result), !result.reused() ? ""
                        : result.fromRecord() ? "  (from the record, run " + result.runId() + " of the history that made it)"
                        : "  (from history, run " + result.runId() + ")");
        out.flush();
        afterEach.accept(Arrays.stream(results).filter(Objects::nonNull).toList());
    }

    /** A succeeded run with the same name, pipeline (as the history shows it) and trainer version, if any. */
    Optional<BenchResult> previous(BenchCell cell, JsonNode pipeline) throws Exception {
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
