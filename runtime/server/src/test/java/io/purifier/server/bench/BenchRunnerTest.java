package io.purifier.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.metric.MetricValue;
import io.purifier.server.PurifierServer;
import io.purifier.server.pipeline.PipelineSpec;
import io.purifier.server.store.Database;
import io.purifier.server.store.RunRecords.StepPlan;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.RunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resume logic on a tiny synthetic matrix: finished cells come from the history, the rest are submitted. */
class BenchRunnerTest {

    @TempDir
    Path dir;
    Database db;
    RunStore store;
    final ObjectMapper json = PurifierServer.objectMapper();
    final List<String> submitted = new ArrayList<>();

    @BeforeEach
    void open() {
        db = Database.open(dir);
        store = new RunStore(db, json);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Pretends to run a pipeline: records a finished run with ASR 1.0 (none) or 0.1 (defended). */
    private long fakeRun(PipelineSpec spec) {
        submitted.add(spec.name());
        long id = store.create(spec.name(), json.valueToTree(spec), spec.seed(), "bench", "x",
                List.of(new StepPlan("dataset", "d", "d"), new StepPlan("attack", "a", "a"), new StepPlan("model", "m", "m")));
        boolean defended = spec.defenses() != null && !spec.defenses().isEmpty();
        store.metrics(id, 2, "asr", List.of(MetricValue.fraction("ASR", defended ? 0.1 : 1.0, MetricValue.Direction.LOWER_IS_BETTER)));
        store.started(id, json.createObjectNode().put("trainerVersion", "engine-t1"));
        store.finished(id, spec.name().contains("/sig/") ? RunStatus.FAILED : RunStatus.SUCCEEDED, null);
        return id;
    }

    private BenchRunner runner() {
        return runner("engine-t1");
    }

    private BenchRunner runner(String trainerVersion) {
        return new BenchRunner(store, this::fakeRun, trainerVersion, json, new PrintStream(new ByteArrayOutputStream()));
    }

    private ObjectNode pipeline(BenchCell cell) {
        ObjectNode p = json.createObjectNode();
        p.put("name", "bench[t] " + cell.label());
        p.put("seed", 1);
        p.putObject("dataset").put("id", "ds");
        p.putObject("model").put("source", "train").putObject("architecture").put("id", cell.model());
        p.putObject("attack").put("id", cell.attack());
        return p;
    }

    @Test
    void a_second_run_reuses_succeeded_cells_and_retries_failed_ones() throws Exception {
        List<BenchCell> cells = List.of(new BenchCell("cnn", "badnets", "none"), new BenchCell("cnn", "sig", "none"));
        List<BenchResult> first = runner().run(cells, this::pipeline);
        assertEquals(2, submitted.size());
        assertEquals(1.0, first.get(0).metrics().get("ASR"));
        assertFalse(first.get(0).reused());
        assertEquals("FAILED", first.get(1).status());

        List<BenchResult> second = runner().run(cells, this::pipeline);
        assertEquals(3, submitted.size(), "only the failed cell is run again");
        assertTrue(second.get(0).reused());
        assertEquals(first.get(0).runId(), second.get(0).runId());
        assertEquals(1.0, second.get(0).metrics().get("ASR"));
    }

    @Test
    void a_changed_pipeline_with_the_same_name_is_not_reused() throws Exception {
        BenchCell cell = new BenchCell("cnn", "badnets", "none");
        runner().run(List.of(cell), this::pipeline);
        runner().run(List.of(cell), c -> pipeline(c).put("seed", 2));
        assertEquals(2, submitted.size());
    }

    @Test
    void runs_of_another_trainer_version_are_not_reused() throws Exception {
        BenchCell cell = new BenchCell("cnn", "badnets", "none");
        runner("engine-t1").run(List.of(cell), this::pipeline);
        List<BenchResult> again = runner("engine-t2").run(List.of(cell), this::pipeline);
        assertEquals(2, submitted.size(), "a new trainer version reruns the cell");
        assertFalse(again.get(0).reused());
    }
}
