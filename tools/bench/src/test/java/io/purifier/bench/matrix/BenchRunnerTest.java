package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resume logic on a tiny synthetic matrix: finished cells come from the history, the rest are submitted. */
class BenchRunnerTest {

    final ObjectMapper json = new ObjectMapper();
    final FakeHistory history = new FakeHistory();
    final List<List<BenchResult>> progress = new ArrayList<>();

    /** A run history that "runs" a pipeline at once: ASR 1.0 undefended, 0.1 defended; SIG cells fail. */
    final class FakeHistory implements RunsApi {
        final Map<Long, JsonNode> runs = new LinkedHashMap<>();
        final List<String> submitted = new ArrayList<>();
        final List<JsonNode> submittedPipelines = new ArrayList<>();
        String trainerVersion = "engine-t1";
        /** How this history's server shows a pipeline back. */
        HistoryForm form = HistoryForm.AS_IS;
        /** The progress and running step (title, message) every run shows while it runs; none when null. */
        String[] runningStep;
        /** Which runs (by name) fail. */
        Predicate<String> fails = name -> name.contains("/sig/");

        @Override
        public long submit(JsonNode pipeline) throws Exception {
            long id = runs.size() + 1;
            String name = pipeline.path("name").asText();
            submitted.add(name);
            submittedPipelines.add(pipeline.deepCopy());
            boolean defended = pipeline.path("defenses").size() > 0;
            ObjectNode detail = json.createObjectNode();
            ObjectNode run = detail.putObject("run").put("id", id).put("name", name)
                    .put("status", fails.test(name) ? "FAILED" : "SUCCEEDED")
                    .put("startedAt", "2026-12-01T10:00:00Z").put("finishedAt", "2026-12-01T10:00:42.500Z");
            if (fails.test(name)) {
                run.put("error", "dataset 'fashion-mnist' is not installed");
            }
            detail.set("spec", json.readTree(json.writeValueAsString(form.apply(pipeline))));
            detail.putObject("provenance").put("trainerVersion", trainerVersion);
            detail.putArray("steps").add(json.createObjectNode()).add(json.createObjectNode()).add(json.createObjectNode());
            if (runningStep != null) {
                run.put("progress", 0.384);
                ((ObjectNode) detail.path("steps").get(1)).put("status", "SUCCEEDED").put("title", "poison").put("message", "done");
                ((ObjectNode) detail.path("steps").get(2)).put("status", "RUNNING").put("title", runningStep[0])
                        .put("message", runningStep[1]);
            }
            detail.putArray("metrics").addObject().put("stepIndex", 2).put("name", "ASR").put("value", defended ? 0.1 : 1.0);
            runs.put(id, detail);
            return id;
        }

        /** Polls a run answers RUNNING before it ends (the fake "runs" that long). */
        int pollsToRun;
        final Map<Long, Integer> polls = new LinkedHashMap<>();
        int maxInFlight;

        @Override
        public String status(long runId) {
            maxInFlight = Math.max(maxInFlight, (int) runs.keySet().stream()
                    .filter(id -> polls.getOrDefault(id, 0) <= pollsToRun && !history.ended(id)).count());
            int seen = polls.merge(runId, 1, Integer::sum);
            if (seen <= pollsToRun) {
                return "RUNNING";
            }
            ended.add(runId);
            return runs.get(runId).path("run").path("status").asText();
        }

        final java.util.Set<Long> ended = new java.util.HashSet<>();

        boolean ended(long id) {
            return ended.contains(id);
        }

        @Override
        public List<Long> succeededRunsNamed(String name) {
            return runs.entrySet().stream().filter(e -> e.getValue().path("run").path("name").asText().equals(name)
                    && e.getValue().path("run").path("status").asText().equals("SUCCEEDED")).map(Map.Entry::getKey).toList();
        }

        @Override
        public JsonNode detail(long runId) {
            return runs.get(runId);
        }
    }

    private BenchRunner runner(String trainerVersion, Map<Long, Double> peaks) {
        return runner(trainerVersion, peaks, MatrixRecord.EMPTY);
    }

    private BenchRunner runner(String trainerVersion, Map<Long, Double> peaks, MatrixRecord record) {
        return new BenchRunner(history, trainerVersion, peaks, record, history.form, () -> 2048 * 1024, json,
                new PrintStream(new ByteArrayOutputStream()), 2, 1);
    }

    /** The record a report of {@code results} leaves, read back from its JSON text. */
    private MatrixRecord recordOf(List<BenchResult> results) throws Exception {
        String text = json.writeValueAsString(MatrixTables.json(json, Map.of(), results));
        return MatrixRecord.read(json.readTree(text));
    }

    private ObjectNode pipeline(BenchCell cell) {
        ObjectNode p = json.createObjectNode();
        p.put("name", "bench[t] " + cell.label());
        p.put("seed", 1L);
        p.putObject("dataset").put("id", "ds");
        p.putObject("model").put("source", "train").putObject("architecture").put("id", cell.model());
        p.putObject("attack").put("id", cell.attack());
        if (!cell.defense().equals(BenchCell.NO_DEFENSE)) {
            p.putArray("defenses").addObject().put("id", cell.defense());
        }
        return p;
    }

    @Test
    void a_second_run_reuses_succeeded_cells_with_their_recorded_memory_and_retries_failed_ones() throws Exception {
        List<BenchCell> cells = List.of(new BenchCell("cnn", "badnets", "none"), new BenchCell("cnn", "badnets", "npd"),
                new BenchCell("cnn", "sig", "none"));
        List<BenchResult> first = runner("engine-t1", Map.of()).run(cells, this::pipeline, progress::add);
        assertEquals(3, history.submitted.size());
        assertEquals(1.0, first.get(0).metrics().get("ASR"));
        assertEquals(0.1, first.get(1).metrics().get("ASR"));
        assertEquals(42.5, first.get(0).wallSeconds());
        assertEquals(2048.0, first.get(0).peakRssMb(), "the sampled memory, in MB");
        assertFalse(first.get(0).reused());
        assertEquals("FAILED", first.get(2).status());
        assertEquals(List.of(1, 2, 3), progress.stream().map(List::size).toList(), "results are handed on after every cell");

        List<BenchResult> second = runner("engine-t1", Map.of(1L, 1500.0)).run(cells, this::pipeline, r -> { });
        assertEquals(4, history.submitted.size(), "only the failed cell is run again");
        assertTrue(second.get(0).reused());
        assertEquals(first.get(0).runId(), second.get(0).runId());
        assertEquals(1.0, second.get(0).metrics().get("ASR"));
        assertEquals(1500.0, second.get(0).peakRssMb(), "the memory of the earlier report");
        assertEquals(0.0, second.get(1).peakRssMb(), "no earlier sample: none");
    }

    @Test
    void a_running_cell_reports_its_progress_and_its_running_step_and_an_ended_one_does_not() throws Exception {
        history.pollsToRun = 2;
        history.runningStep = new String[] {"train preact-resnet18", "epoch 37/100"};
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        BenchRunner everyPoll = new BenchRunner(history, "engine-t1", Map.of(), MatrixRecord.EMPTY, history.form, () -> 0,
                json, new PrintStream(log, true), 1, 1, 0);
        everyPoll.run(List.of(new BenchCell("cnn", "badnets", "none")), this::pipeline, r -> { });
        List<String> lines = log.toString().lines().filter(l -> l.startsWith("    ... ")).toList();
        assertEquals(2, lines.size(), "one line per poll while RUNNING, none once it ended: " + log);
        assertTrue(lines.get(0).matches("    \\.\\.\\. cnn/badnets/none: run 1 is 38 % done \\(train preact-resnet18:"
                + " epoch 37/100\\), running for \\d+:\\d\\d h"), lines.get(0));

        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        new BenchRunner(history, "engine-t1", Map.of(), MatrixRecord.EMPTY, history.form, () -> 0, json,
                new PrintStream(quiet, true), 1, 1, 60_000).run(List.of(new BenchCell("cnn", "wanet", "none")),
                this::pipeline, r -> { });
        assertFalse(quiet.toString().contains("    ... "), "no line before the interval has passed: " + quiet);
    }

    @Test
    void cells_run_in_parallel_up_to_the_limit_and_results_keep_the_plan_s_order() throws Exception {
        history.pollsToRun = 3;
        List<BenchCell> cells = List.of(new BenchCell("cnn", "badnets", "none"), new BenchCell("cnn", "badnets", "npd"),
                new BenchCell("cnn", "sig", "none"), new BenchCell("cnn", "sig", "npd"), new BenchCell("cnn", "wanet", "none"));
        List<BenchResult> results = runner("engine-t1", Map.of()).run(cells, this::pipeline, progress::add);
        assertEquals(5, history.submitted.size());
        assertEquals(2, history.maxInFlight, "two cells in flight at most, and two at once");
        assertEquals(cells, results.stream().map(BenchResult::cell).toList(), "results in the plan's order");
        assertEquals(List.of(1, 2, 3, 4, 5), progress.stream().map(List::size).toList());
        assertEquals(2048.0, results.get(0).peakRssMb(), "sampled while running");
    }

    @Test
    void parts_run_only_their_cells_and_report_every_cell_of_the_plan_the_history_has() throws Exception {
        List<BenchCell> plan = List.of(new BenchCell("cnn", "badnets", "none"), new BenchCell("cnn", "badnets", "npd"),
                new BenchCell("cnn", "badnets", "bcu"), new BenchCell("cnn", "wanet", "none"), new BenchCell("cnn", "wanet", "npd"),
                new BenchCell("cnn", "wanet", "bcu"));
        List<BenchResult> first = runner("engine-t1", Map.of()).run(plan, c -> c.attack().equals("badnets"), this::pipeline,
                progress::add);
        assertEquals(List.of("bench[t] cnn/badnets/none", "bench[t] cnn/badnets/npd", "bench[t] cnn/badnets/bcu"), history.submitted);
        assertEquals(plan.subList(0, 3), first.stream().map(BenchResult::cell).toList(), "cells nobody ran are left out");

        List<BenchResult> second = runner("engine-t1", Map.of(2L, 900.0)).run(plan,
                c -> c.attack().equals("wanet") && !c.defense().equals("bcu"), this::pipeline, progress::add);
        assertEquals(5, history.submitted.size(), "the second part runs only its own cells");
        assertEquals(plan.subList(0, 5), second.stream().map(BenchResult::cell).toList(),
                "the first part's cells stay in the report, in plan order");
        assertTrue(second.get(1).reused());
        assertEquals(900.0, second.get(1).peakRssMb(), "with the memory the first part recorded");
        assertEquals(0.1, second.get(1).metrics().get("ASR"));
        assertFalse(second.get(3).reused());
        assertEquals(5, progress.get(progress.size() - 1).size());

        List<BenchResult> rest = runner("engine-t1", Map.of()).run(plan, this::pipeline, r -> { });
        assertEquals(6, history.submitted.size(), "a run without a filter (or an interrupted part run again) only adds "
                + "what is missing");
        assertEquals(plan, rest.stream().map(BenchResult::cell).toList());
    }

    @Test
    void a_changed_pipeline_with_the_same_name_is_not_reused() throws Exception {
        BenchCell cell = new BenchCell("cnn", "badnets", "none");
        runner("engine-t1", Map.of()).run(List.of(cell), this::pipeline, r -> { });
        runner("engine-t1", Map.of()).run(List.of(cell), c -> pipeline(c).put("seed", 2), r -> { });
        assertEquals(2, history.submitted.size());
    }

    @Test
    void runs_of_another_trainer_version_are_not_reused() throws Exception {
        BenchCell cell = new BenchCell("cnn", "badnets", "none");
        runner("engine-t1", Map.of()).run(List.of(cell), this::pipeline, r -> { });
        List<BenchResult> again = runner("engine-t2", Map.of()).run(List.of(cell), this::pipeline, r -> { });
        assertEquals(2, history.submitted.size(), "a new trainer version reruns the cell");
        assertFalse(again.get(0).reused());
    }

    @Test
    void a_new_history_continues_from_the_record_and_trains_again_only_the_undefended_cells_it_runs() throws Exception {
        List<BenchCell> plan = List.of(new BenchCell("cnn", "badnets", "none"), new BenchCell("cnn", "badnets", "npd"),
                new BenchCell("cnn", "badnets", "bcu"), new BenchCell("cnn", "sig", "none"));
        List<BenchResult> first = runner("engine-t1", Map.of()).run(plan, c -> !c.defense().equals("bcu"), this::pipeline,
                r -> { });
        assertEquals(3, first.size());
        assertTrue(first.stream().allMatch(r -> r.pipelineKey() != null && r.pipelineKey().matches("[0-9a-f]{64}")));
        MatrixRecord record = recordOf(first);
        assertEquals(2, record.size(), "the failed SIG cell is not recorded as done");

        history.runs.clear();
        history.submitted.clear();
        List<BenchResult> parts = runner("engine-t1", Map.of(), record).run(plan, c -> c.defense().equals("bcu"),
                this::pipeline, r -> { });
        assertEquals(List.of("bench[t] cnn/badnets/bcu"), history.submitted, "the recorded cells are not run again");
        BenchResult npd = parts.get(1);
        assertTrue(npd.reused() && npd.fromRecord());
        assertEquals(first.get(1).runId(), npd.runId());
        assertEquals(0.1, npd.metrics().get("ASR"));
        assertEquals(first.get(1).pipelineKey(), npd.pipelineKey());
        assertFalse(parts.get(2).fromRecord());

        history.runs.clear();
        history.submitted.clear();
        List<BenchResult> again = runner("engine-t1", Map.of(), record).run(plan, c -> c.attack().equals("badnets"),
                this::pipeline, r -> { });
        assertEquals(List.of("bench[t] cnn/badnets/none", "bench[t] cnn/badnets/bcu"), history.submitted,
                "an undefended cell this part runs trains its model again; the recorded defense cell is kept");
        assertFalse(again.get(0).fromRecord());
        assertTrue(again.get(1).fromRecord());
    }

    @Test
    void a_cell_that_fails_when_run_again_keeps_the_result_the_record_has_for_its_pipeline() throws Exception {
        List<BenchCell> plan = List.of(new BenchCell("cnn", "badnets", "none"), new BenchCell("cnn", "badnets", "npd"));
        MatrixRecord record = recordOf(runner("engine-t1", Map.of()).run(plan, this::pipeline, r -> { }));
        assertEquals(2, record.size());

        history.runs.clear();
        history.submitted.clear();
        history.fails = name -> name.endsWith("/none");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<List<BenchResult>> written = new ArrayList<>();
        List<BenchResult> again = new BenchRunner(history, "engine-t1", Map.of(), record, history.form, () -> 0, json,
                new PrintStream(printed, true), 2, 1).run(plan, c -> true, this::pipeline, written::add);
        assertEquals(List.of("bench[t] cnn/badnets/none"), history.submitted, "the undefended cell runs again and fails");
        BenchResult none = again.get(0);
        assertEquals("SUCCEEDED", none.status(), "the report keeps the recorded success");
        assertTrue(none.fromRecord());
        assertEquals(1.0, none.metrics().get("ASR"));
        assertTrue(written.get(written.size() - 1).stream().allMatch(r -> "SUCCEEDED".equals(r.status())));
        String log = printed.toString();
        assertTrue(log.contains("cnn/badnets/none: run 1 of this part ended FAILED (dataset 'fashion-mnist' is not installed)"),
                log);

        history.runs.clear();
        history.submitted.clear();
        List<BenchResult> unrecorded = runner("engine-t1", Map.of(), MatrixRecord.EMPTY).run(plan, this::pipeline, r -> { });
        assertEquals("FAILED", unrecorded.get(0).status(), "without a recorded result the failure is the cell's result");
    }

    @Test
    void a_recorded_cell_is_not_taken_for_another_pipeline_or_trainer_version() throws Exception {
        BenchCell cell = new BenchCell("cnn", "badnets", "npd");
        MatrixRecord record = recordOf(runner("engine-t1", Map.of()).run(List.of(cell), this::pipeline, r -> { }));
        history.runs.clear();
        history.submitted.clear();
        runner("engine-t1", Map.of(), record).run(List.of(cell), c -> pipeline(c).put("seed", 2), r -> { });
        assertEquals(1, history.submitted.size(), "another seed is another pipeline");
        history.runs.clear();
        runner("engine-t2", Map.of(), record).run(List.of(cell), this::pipeline, r -> { });
        assertEquals(2, history.submitted.size(), "another trainer version");
        history.runs.clear();
        List<BenchResult> same = runner("engine-t1", Map.of(), record).run(List.of(cell), this::pipeline, r -> { });
        assertEquals(2, history.submitted.size(), "the same pipeline and trainer: taken from the record");
        assertTrue(same.get(0).fromRecord());
    }

    /** The cell's pipeline drawing its unlabeled data from an IDX directory, as the out-of-distribution column does. */
    private ObjectNode withDataDirectory(ObjectNode pipeline, Path directory) {
        ((ObjectNode) pipeline.get("defenses").get(0)).putObject("data").put("fraction", 0.1).putObject("dataset")
                .put("id", "idx").putObject("params").put("directory", directory.toString());
        return pipeline;
    }

    @Test
    void a_cell_naming_a_file_of_the_installation_is_found_in_its_history_and_in_another_installation_s_record()
            throws Exception {
        BenchCell cell = new BenchCell("cnn", "badnets", "bcu-ood");
        Path home = Path.of("/opt/purifier-a");
        history.form = HistoryForm.of(home, home.resolve("data"));
        Function<BenchCell, ObjectNode> here = c -> withDataDirectory(pipeline(c), home.resolve("conf/datasets/digits"));
        List<BenchResult> first = runner("engine-t1", Map.of()).run(List.of(cell), here, r -> { });
        assertEquals("/opt/purifier-a/conf/datasets/digits",
                history.submittedPipelines.get(0).at("/defenses/0/data/dataset/params/directory").asText(),
                "the server is given the absolute directory");
        assertEquals("conf/datasets/digits", history.runs.get(1L).at("/spec/defenses/0/data/dataset/params/directory").asText(),
                "and shows it back relative to its installation");

        List<BenchResult> again = runner("engine-t1", Map.of()).run(List.of(cell), here, r -> { });
        assertEquals(1, history.submitted.size(), "the history's run is recognised");
        assertTrue(again.get(0).reused());
        assertFalse(again.get(0).fromRecord(), "found in the history, not in a record");
        assertEquals(first.get(0).pipelineKey(), again.get(0).pipelineKey());

        MatrixRecord record = recordOf(first);
        history.runs.clear();
        history.submitted.clear();
        Path other = Path.of("/srv/elsewhere/purifier");
        history.form = HistoryForm.of(other, other.resolve("data"));
        List<BenchResult> elsewhere = runner("engine-t1", Map.of(), record).run(List.of(cell),
                c -> withDataDirectory(pipeline(c), other.resolve("conf/datasets/digits")), r -> { });
        assertEquals(List.of(), history.submitted, "another installation's directory is the same cell");
        assertTrue(elsewhere.get(0).fromRecord());

        history.runs.clear();
        runner("engine-t1", Map.of(), record).run(List.of(cell),
                c -> withDataDirectory(pipeline(c), Path.of("/usr/share/datasets/digits")), r -> { });
        assertEquals(1, history.submitted.size(), "a directory outside the installation is another cell");
    }

    @Test
    void a_report_keyed_by_absolute_paths_before_fingerprints_took_the_history_s_form_still_gives_its_cell()
            throws Exception {
        BenchCell cell = new BenchCell("cnn", "badnets", "bcu-ood");
        Path home = Path.of("/opt/purifier-a");
        ObjectNode absolute = withDataDirectory(pipeline(cell), home.resolve("conf/datasets/digits"));
        history.form = HistoryForm.AS_IS;
        BenchResult old = runner("engine-t1", Map.of()).run(List.of(cell), c -> absolute.deepCopy(), r -> { }).get(0);
        assertEquals(MatrixRecord.key(absolute, "engine-t1"), old.pipelineKey(), "the old report's key: absolute paths");
        MatrixRecord record = recordOf(List.of(old));

        history.runs.clear();
        history.submitted.clear();
        history.form = HistoryForm.of(home, home.resolve("data"));
        BenchResult found = runner("engine-t1", Map.of(), record).run(List.of(cell), c -> absolute.deepCopy(), r -> { }).get(0);
        assertEquals(List.of(), history.submitted, "the same installation finds its old report's cell");
        assertTrue(found.fromRecord());
        String newKey = MatrixRecord.key(history.form.apply(absolute), "engine-t1");
        assertNotEquals(old.pipelineKey(), newKey);
        assertEquals(newKey, found.pipelineKey(), "and records it under the installation-independent key");
    }

    @Test
    void the_fingerprint_ignores_field_order_and_number_spelling_but_not_values() {
        ObjectNode a = json.createObjectNode().put("name", "x").put("seed", 1L);
        a.putObject("defenses").put("epochs", 10).put("lr", 0.01);
        ObjectNode b = json.createObjectNode().put("seed", 1);
        b.putObject("defenses").put("lr", 0.01).put("epochs", 10);
        b.put("name", "x");
        assertEquals(MatrixRecord.key(a, "engine-3"), MatrixRecord.key(b, "engine-3"));
        ((ObjectNode) b.get("defenses")).put("epochs", 11);
        assertNotEquals(MatrixRecord.key(a, "engine-3"), MatrixRecord.key(b, "engine-3"));
        assertNotEquals(MatrixRecord.key(a, "engine-3"), MatrixRecord.key(a, "engine-4"));
    }
}
