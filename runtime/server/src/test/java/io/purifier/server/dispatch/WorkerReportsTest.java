package io.purifier.server.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.InvalidInputException;
import io.purifier.api.defense.DataContract;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.server.PurifierServer;
import io.purifier.server.pipeline.HistoryRecorder;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.pipeline.ValidatedPipeline.Resolved;
import io.purifier.server.store.ModelStore;
import io.purifier.server.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class WorkerReportsTest {

    @TempDir
    Path dataDir;
    final ObjectMapper json = PurifierServer.objectMapper();
    final WorkerReports.Runs runs = mock(WorkerReports.Runs.class);
    final ActiveRun run = new ActiveRun(3, pipeline(), "alice", 3, mock(HistoryRecorder.class), System::nanoTime);

    private static ValidatedPipeline pipeline() {
        Resolved none = new Resolved("x", ParamDescriptor.none().defaults());
        return new ValidatedPipeline("p", 1, none, new ValidatedPipeline.ModelPlan("stored", null, null, "m-1"), null,
                List.of(new ValidatedPipeline.DefensePlan(none, DataContract.none(), 0, null)), List.of(), Duration.ofSeconds(60));
    }

    private WorkerReports reports() {
        org.mockito.Mockito.when(runs.active(3)).thenReturn(Optional.of(run));
        return new WorkerReports(runs, mock(RunTickets.class), mock(ModelStore.class), dataDir, dataDir.resolve("deploy"),
                1024 * 1024, json);
    }

    @Test
    void a_batch_sent_twice_is_applied_once_and_the_answer_carries_the_cancel_request() throws Exception {
        WorkerReports reports = reports();
        run.launched();
        String batch = "{\"seq\": 0, \"events\": [{\"type\": \"stepStarted\", \"step\": 2, \"params\": {}}, "
                + "{\"type\": \"log\", \"step\": 2, \"level\": \"INFO\", \"message\": \"hi\"}]}";
        assertEquals("{\"cancel\":false,\"reason\":null}", reports.events(3, json.readTree(batch)).toString());
        reports.events(3, json.readTree(batch));
        verify(run.recorder(), times(1)).log(2, "INFO", "hi");
        assertEquals(2, run.runningStep(), "the running step is followed for the time-limit rule");
        run.cancel("cancelled by bob");
        assertEquals("{\"cancel\":true,\"reason\":\"cancelled by bob\"}",
                reports.events(3, json.readTree("{\"seq\": 1, \"events\": [{\"type\": \"stepFinished\", \"step\": 2, \"status\": \"CANCELLED\"}]}")).toString());
        assertEquals(-1, run.runningStep());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> reports.events(3, json.readTree("{\"events\": []}")));
        assertEquals("seq: required number of the batch (0, 1, 2, ...)", e.getMessage());
    }

    @Test
    void a_run_still_queued_or_finished_takes_no_reports() {
        WorkerReports reports = reports();
        RunNotActiveException queued = assertThrows(RunNotActiveException.class, () -> reports.ticket(3));
        assertEquals("run 3 is still queued and takes no worker reports", queued.getMessage());
        run.launched();
        run.finished(RunStatus.SUCCEEDED);
        RunNotActiveException done = assertThrows(RunNotActiveException.class,
                () -> reports.events(3, json.readTree("{\"seq\": 5, \"events\": []}")));
        assertEquals("run 3 is finished (SUCCEEDED) and takes no worker reports", done.getMessage());
        assertEquals("run 4 is not executing in this server", assertThrows(RunNotActiveException.class, () -> reports.ticket(4)).getMessage());
    }

    @Test
    void artifacts_are_stored_under_their_step_with_plain_names_only() throws Exception {
        WorkerReports reports = reports();
        run.launched();
        reports.artifact(3, 2, "sub/purified.txt", new ByteArrayInputStream("weights".getBytes(StandardCharsets.UTF_8)));
        Path stored = dataDir.resolve("runs/3/step-2-defense/sub/purified.txt");
        assertEquals("weights", Files.readString(stored));
        verify(run.recorder()).artifact(2, "sub/purified.txt", stored.toAbsolutePath().normalize());
        for (String bad : List.of("../escape.txt", "/etc/passwd", "a//b", ".hidden", "x\u0000y")) {
            assertThrows(InvalidInputException.class, () -> reports.artifact(3, 2, bad, new ByteArrayInputStream(new byte[1])), bad);
        }
        assertEquals("step 3 is not a step of run 3 (it has 3)", assertThrows(InvalidInputException.class,
                () -> reports.artifact(3, 3, "x.txt", new ByteArrayInputStream(new byte[1]))).getMessage());
        verify(run.recorder(), times(1)).artifact(anyInt(), anyString(), any());
    }

    @Test
    void the_final_status_is_recorded_once_and_must_be_final() throws Exception {
        WorkerReports reports = reports();
        run.launched();
        assertEquals("status: 'RUNNING' is not a final run status (SUCCEEDED, FAILED, CANCELLED or INTERRUPTED)",
                assertThrows(InvalidInputException.class, () -> reports.finish(3, json.readTree("{\"status\": \"RUNNING\"}"))).getMessage());
        reports.finish(3, json.readTree("{\"status\": \"FAILED\", \"error\": \"step 3: diverged\"}"));
        verify(run.recorder()).runFinished(RunStatus.FAILED, "step 3: diverged");
        verify(runs).finished(run, RunStatus.FAILED);
        run.finished(RunStatus.FAILED);
        reports.finish(3, json.readTree("{\"status\": \"FAILED\", \"error\": \"step 3: diverged\"}"));
        verify(run.recorder(), times(1)).runFinished(any(), any());
        assertThrows(RunNotActiveException.class, () -> reports.finish(3, json.readTree("{\"status\": \"SUCCEEDED\"}")));
        verify(run.recorder(), never()).runFinished(RunStatus.SUCCEEDED, null);
    }
}
