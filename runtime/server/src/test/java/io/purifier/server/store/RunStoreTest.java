package io.purifier.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.metric.MetricValue;
import io.purifier.server.PurifierServer;
import io.purifier.server.store.RunRecords.StepPlan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunStoreTest {

    @TempDir
    Path dir;
    Database db;
    RunStore runs;
    final ObjectMapper json = PurifierServer.objectMapper();

    @BeforeEach
    void open() {
        db = Database.open(dir);
        runs = new RunStore(db, json);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private long newRun(String owner) {
        return runs.create("r", json.createObjectNode().put("seed", 1), 1, "alice", owner,
                List.of(new StepPlan("dataset", "d", "load"), new StepPlan("model", "m", "train"), new StepPlan("defense", "x", "defend")));
    }

    @Test
    void a_created_run_is_synced_to_disk_before_it_is_acknowledged() {
        long before = db.syncsDone();
        runs.create("acknowledged", json.createObjectNode(), 1, "alice", null, List.of());
        assertTrue(db.syncsDone() > before, "a kill -9 right after the 201 must not lose the run (the long fuzz run's "
                + "CrashDurabilityIT lost one before this sync)");
    }

    @Test
    void records_steps_metrics_curves_logs_and_the_outcome() {
        long id = newRun("1@now");
        runs.started(id, json.createObjectNode().put("seed", 1));
        runs.stepStarted(id, 0, json.createObjectNode().put("n", 3), "bsn", "1.0", "ab".repeat(32));
        runs.metrics(id, 0, "core", List.of(MetricValue.fraction("ACC", 0.9, MetricValue.Direction.HIGHER_IS_BETTER)));
        runs.curvePoint(id, 0, "loss", 1, 0.5);
        runs.curvePoint(id, 0, "loss", 2, 0.25);
        runs.log(id, 0, "INFO", "hello");
        runs.stepFinished(id, 0, StepStatus.SUCCEEDED, null, json.createObjectNode().put("k", 1));
        runs.finished(id, RunStatus.FAILED, "boom");

        RunRecords.RunDetail d = runs.detail(id).orElseThrow();
        assertEquals(RunStatus.FAILED, d.run().status());
        assertEquals("boom", d.run().error());
        assertEquals(StepStatus.SUCCEEDED, d.steps().get(0).status());
        assertEquals(3, d.steps().get(0).params().get("n").asInt());
        assertEquals(StepStatus.SKIPPED, d.steps().get(1).status());
        assertEquals(0.9, d.metrics().get(0).value());
        assertEquals(1, d.curves().size());
        assertArrayEquals(new double[]{2, 0.25}, d.curves().get(0).points().get(1));
        assertEquals("hello", runs.logs(id, 0, 10).get(0).message());
        assertNotNull(d.run().finishedAt());
    }

    @Test
    void marks_only_runs_of_dead_owners_interrupted() {
        long dead = newRun("999999999@gone");
        long alive = newRun("alive");
        runs.started(dead, null);
        runs.stepStarted(dead, 0, null, null, null, null);
        int changed = runs.markInterrupted(owner -> owner.equals("alive"));
        assertEquals(1, changed);
        RunRecords.RunDetail d = runs.detail(dead).orElseThrow();
        assertEquals(RunStatus.INTERRUPTED, d.run().status());
        assertEquals(StepStatus.FAILED, d.steps().get(0).status());
        assertEquals(StepStatus.SKIPPED, d.steps().get(1).status());
        assertEquals(RunStatus.QUEUED, runs.summary(alive).orElseThrow().status());
    }

    @Test
    void interrupting_a_writing_thread_does_not_break_the_database() throws Exception {
        long id = newRun("x");
        int writes = 300;
        Thread writer = new Thread(() -> {
            for (int i = 0; i < writes; i++) {
                runs.log(id, 0, "INFO", "line " + i);
                runs.curvePoint(id, 0, "loss", i, 1.0 / (i + 1));
            }
        });
        writer.start();
        while (writer.isAlive()) {
            writer.interrupt();
            Thread.onSpinWait();
        }
        writer.join();
        assertEquals(writes, runs.logs(id, 0, 10_000).size(), "every write landed despite the interrupts");
        assertEquals(writes, runs.detail(id).orElseThrow().curves().get(0).points().size());
        runs.finished(id, RunStatus.CANCELLED, "still writable");
        assertEquals(RunStatus.CANCELLED, runs.summary(id).orElseThrow().status());
    }

    @Test
    void lists_newest_first_and_filters_by_status() {
        long a = newRun("x");
        long b = newRun("x");
        runs.finished(a, RunStatus.SUCCEEDED, null);
        assertEquals(List.of(b, a), runs.list(10, 0, null).stream().map(RunRecords.RunSummary::id).toList());
        assertEquals(List.of(a), runs.list(10, 0, RunStatus.SUCCEEDED).stream().map(RunRecords.RunSummary::id).toList());
        assertEquals(1.0, runs.summary(a).orElseThrow().progress());
    }
}
