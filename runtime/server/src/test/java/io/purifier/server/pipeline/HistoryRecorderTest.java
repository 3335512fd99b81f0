package io.purifier.server.pipeline;

import io.purifier.api.metric.MetricValue;
import io.purifier.server.PurifierServer;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.RunStore;
import io.purifier.server.store.StepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class HistoryRecorderTest {

    @TempDir
    Path dataDir;
    final RunStore store = mock(RunStore.class);
    final RunEvents events = new RunEvents();
    final List<RunEvents.Event> published = new ArrayList<>();

    private HistoryRecorder recorder() {
        events.subscribe(published::add);
        return new HistoryRecorder(4, store, events, new AttackCache(dataDir.resolve("cache"), PurifierServer.objectMapper()), dataDir);
    }

    @Test
    void steps_are_written_and_published_with_their_bundle() {
        HistoryRecorder r = recorder();
        var params = PurifierServer.objectMapper().createObjectNode().put("factor", 0.5);
        r.stepStarted(2, params, new BundleIdentity("io.x", "1.0.0", 9, "cafe"));
        r.stepFinished(2, StepStatus.FAILED, "boom", null);
        verify(store).stepStarted(4, 2, params, "io.x", "1.0.0", "cafe");
        verify(store).stepFinished(4, 2, StepStatus.FAILED, "boom", null);
        assertEquals("step {step=2, status=RUNNING}", published.get(0).type() + " " + published.get(0).data());
        assertEquals("step {step=2, status=FAILED, error=boom}", published.get(1).type() + " " + published.get(1).data());
    }

    @Test
    void log_lines_carry_their_sequence_number_and_metrics_their_values() {
        when(store.log(4, 1, "INFO", "hello")).thenReturn(17L);
        HistoryRecorder r = recorder();
        r.log(1, "INFO", "hello");
        List<MetricValue> values = List.of(MetricValue.fraction("ASR", 0.25, MetricValue.Direction.LOWER_IS_BETTER));
        r.metrics(3, "asr", values);
        verify(store).metrics(4, 3, "asr", values);
        assertEquals(17L, published.get(0).data().get("seq"));
        assertEquals("hello", published.get(0).data().get("message"));
        assertEquals("metric", published.get(1).type());
        assertEquals(values, published.get(1).data().get("values"));
    }

    @Test
    void step_progress_is_published_every_time_but_written_at_most_twice_a_second() {
        HistoryRecorder r = recorder();
        for (int i = 0; i < 10; i++) {
            r.stepProgress(3, i / 10.0, "epoch " + i);
        }
        r.stepProgress(3, 1.0, "done");
        verify(store, times(1)).stepProgress(eq(4L), eq(3), eq(0.0), anyString());
        verify(store).stepProgress(4, 3, 1.0, "done");
        assertEquals(11, published.size());
    }

    @Test
    void artifacts_under_the_data_directory_are_recorded_with_size_and_hash() throws Exception {
        Path file = Files.createDirectories(dataDir.resolve("runs/4/step-3-defense")).resolve("purified-model.pmodel");
        Files.writeString(file, "abc");
        HistoryRecorder r = recorder();
        r.artifact(3, "purified-model.pmodel", file);
        verify(store).artifact(4, 3, "purified-model.pmodel", "runs/4/step-3-defense/purified-model.pmodel", 3,
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void an_artifact_outside_the_data_directory_is_refused_with_a_warning() throws Exception {
        Path outside = Files.createTempFile("artifact", ".txt");
        try {
            recorder().artifact(3, "x.txt", outside);
            verify(store, never()).artifact(anyLong(), anyInt(), anyString(), anyString(), anyLong(), anyString());
            verify(store).log(4, 3, "WARN", "artifact x.txt is outside the data directory and was not recorded");
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void a_cache_entry_the_server_cannot_see_is_a_warning_about_the_shared_directory() {
        recorder().cacheEntry(2, "a".repeat(64), "badnets on x / small-cnn");
        verify(store).log(eq(4L), eq(2), eq("WARN"), org.mockito.ArgumentMatchers.contains("must share the configured cache directory"));
    }

    @Test
    void the_end_of_a_run_is_written_and_published() {
        HistoryRecorder r = recorder();
        r.runFinished(RunStatus.SUCCEEDED, null);
        verify(store).finished(4, RunStatus.SUCCEEDED, null);
        assertEquals("run {status=SUCCEEDED, progress=1.0}", published.get(0).type() + " " + published.get(0).data());
        assertTrue(published.get(0).runId() == 4);
    }

    private static long anyLong() {
        return org.mockito.ArgumentMatchers.anyLong();
    }
}
