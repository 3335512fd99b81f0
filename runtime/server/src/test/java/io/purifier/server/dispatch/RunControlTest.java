package io.purifier.server.dispatch;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.server.executor.ExecutionEnd;
import io.purifier.server.executor.ExecutorSettings;
import io.purifier.server.executor.RunExecutor;
import io.purifier.server.executor.WorkerLaunch;
import io.purifier.server.pipeline.HistoryRecorder;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.StepStatus;
import io.purifier.server.store.WorkerTokenStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class RunControlTest {

    @TempDir
    Path dataDir;

    /** An executor that only remembers its launches and ends them when told. */
    static class FakeExecutor implements RunExecutor {
        final int slots;
        final Map<Long, Consumer<ExecutionEnd>> running = new LinkedHashMap<>();
        final List<WorkerLaunch> launches = new ArrayList<>();
        final List<Long> killed = new ArrayList<>();
        boolean closed;

        FakeExecutor(int slots) {
            this.slots = slots;
        }

        @Override
        public int slots() {
            return slots;
        }

        @Override
        public synchronized String launch(WorkerLaunch launch, Consumer<ExecutionEnd> ended) {
            launches.add(launch);
            running.put(launch.runId(), ended);
            return "fake worker " + launch.runId();
        }

        synchronized void end(long runId, int code, List<String> lines) {
            running.remove(runId).accept(new ExecutionEnd(runId, code, ExecutionEnd.describeExitCode(code), lines));
        }

        @Override
        public synchronized void kill(long runId) {
            killed.add(runId);
        }

        @Override
        public void close() {
            closed = true;
            List<Long> ids;
            synchronized (this) {
                ids = List.copyOf(running.keySet());
            }
            ids.forEach(id -> end(id, 137, List.of()));
        }
    }

    final WorkerTokenStore tokens = mock(WorkerTokenStore.class);

    {
        when(tokens.issue(anyLong(), any())).thenAnswer(inv -> "pwk_for_" + inv.getArgument(0));
    }

    private static ActiveRun run(long id) {
        ValidatedPipeline p = new ValidatedPipeline("p", 1, new ValidatedPipeline.Resolved("d", ParamDescriptor.none().defaults()),
                null, null, List.of(), List.of(), Duration.ofSeconds(60));
        return new ActiveRun(id, p, "alice", 3, mock(HistoryRecorder.class), System::nanoTime);
    }

    private RunControl control(FakeExecutor executor) {
        RunControl control = new RunControl(executor, new RunWatchdog(new ExecutorSettings("local", executor.slots(), List.of(),
                Duration.ofSeconds(30), Duration.ofSeconds(120)), Duration.ofSeconds(70)), tokens, dataDir);
        control.start(URI.create("http://127.0.0.1:7171"));
        return control;
    }

    @Test
    void runs_wait_for_a_free_slot_and_the_next_starts_only_when_the_previous_worker_is_gone() {
        FakeExecutor executor = new FakeExecutor(1);
        RunControl control = control(executor);
        ActiveRun first = run(1);
        ActiveRun second = run(2);
        control.enqueue(first);
        control.enqueue(second);
        assertEquals(1, executor.launches.size());
        assertEquals(1, control.queued());
        WorkerLaunch launch = executor.launches.get(0);
        assertEquals("pwk_for_1", launch.credential());
        assertEquals(dataDir.resolve("runs/1/worker.log"), launch.logFile());
        assertFalse(launch.toString().contains("pwk_"), "the credential never shows in logs");
        verify(first.recorder()).log(null, "INFO", "handed to fake worker 1 (its log: runs/1/worker.log)");

        first.finished(RunStatus.SUCCEEDED);
        assertEquals(1, executor.launches.size(), "the second run waits until the first worker is gone");
        executor.end(1, 0, List.of());
        assertEquals(2, executor.launches.size());
        verify(tokens).revoke(1);
        verify(first.recorder(), never()).runFinished(any(), any());
        assertTrue(control.active(1).isEmpty());
    }

    @Test
    void a_worker_gone_without_its_final_report_fails_the_run_and_its_running_step() {
        FakeExecutor executor = new FakeExecutor(1);
        RunControl control = control(executor);
        ActiveRun run = run(5);
        control.enqueue(run);
        run.stepStarted(2);
        executor.end(5, 137, List.of("Exception in thread main", "java.lang.InternalError: native crash"));
        String error = "the worker process ended (killed by signal 9 (SIGKILL)) before finishing the run; the last lines of its log: "
                + "Exception in thread main | java.lang.InternalError: native crash";
        verify(run.recorder()).stepFinished(2, StepStatus.FAILED, error, null);
        verify(run.recorder()).runFinished(RunStatus.FAILED, error);
        verify(run.recorder()).log(null, "WARN", "worker log: java.lang.InternalError: native crash");
        assertEquals(RunStatus.FAILED, run.outcome());
    }

    @Test
    void a_queued_run_is_cancelled_at_once_and_a_running_one_is_told_through_its_worker() {
        FakeExecutor executor = new FakeExecutor(1);
        RunControl control = control(executor);
        ActiveRun running = run(1);
        ActiveRun queued = run(2);
        control.enqueue(running);
        control.enqueue(queued);
        assertTrue(control.cancel(2, "bob"));
        verify(queued.recorder()).runFinished(RunStatus.CANCELLED, "cancelled by bob before it started");
        assertTrue(control.active(2).isEmpty());
        running.contact();
        assertTrue(control.cancel(1, "bob"));
        assertEquals("cancelled by bob", running.cancelReason());
        assertTrue(executor.killed.isEmpty(), "a worker that reports is told, not killed");
        verify(running.recorder(), never()).runFinished(any(), any());
        executor.end(1, 0, List.of());
        verify(running.recorder()).runFinished(RunStatus.CANCELLED, "cancelled by bob");
        assertFalse(control.cancel(1, "bob"), "a run that ended cannot be cancelled");
        assertEquals(1, executor.launches.size(), "the cancelled queued run never started");
    }

    @Test
    void a_launched_run_whose_worker_never_reported_is_stopped_at_once_when_cancelled() {
        FakeExecutor executor = new FakeExecutor(1);
        RunControl control = control(executor);
        control.enqueue(run(1));
        assertTrue(control.cancel(1, "bob"));
        assertEquals(List.of(1L), executor.killed, "a job still waiting for a node is cancelled at once");
    }

    @Test
    void a_worker_that_cannot_start_fails_its_run_and_the_next_one_starts() {
        RunExecutor broken = new FakeExecutor(1) {
            @Override
            public synchronized String launch(WorkerLaunch launch, Consumer<ExecutionEnd> ended) {
                if (launch.runId() == 1) {
                    throw new IllegalStateException("no java binary");
                }
                return super.launch(launch, ended);
            }
        };
        RunControl control = control((FakeExecutor) broken);
        ActiveRun first = run(1);
        control.enqueue(first);
        control.enqueue(run(2));
        verify(first.recorder()).runFinished(RunStatus.FAILED, "could not start a worker for this run: no java binary");
        verify(tokens).revoke(1);
        assertEquals(1, ((FakeExecutor) broken).launches.size());
    }

    @Test
    void a_job_waiting_for_a_node_is_not_killed_as_silent_and_is_once_it_started_and_stays_silent() {
        java.util.Set<Long> held = new java.util.HashSet<>(List.of(1L));
        FakeExecutor executor = new FakeExecutor(2) {
            @Override
            public boolean waitingToStart(long runId) {
                return held.contains(runId);
            }
        };
        RunControl control = control(executor);
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        ValidatedPipeline p = new ValidatedPipeline("p", 1, new ValidatedPipeline.Resolved("d", ParamDescriptor.none().defaults()),
                null, null, List.of(), List.of(), Duration.ofSeconds(60));
        ActiveRun pending = new ActiveRun(1, p, "alice", 3, mock(HistoryRecorder.class), now::get);
        ActiveRun silent = new ActiveRun(2, p, "alice", 3, mock(HistoryRecorder.class), now::get);
        control.enqueue(pending);
        control.enqueue(silent);
        now.addAndGet(Duration.ofSeconds(121).toNanos());
        control.watch(); // the ticker may run it too: the assertions look at who was killed, not how often
        assertEquals(java.util.Set.of(2L), killed(executor), "only the worker that could have reported and did not");
        held.clear(); // the job got its node
        now.addAndGet(Duration.ofSeconds(121).toNanos());
        control.watch();
        assertEquals(java.util.Set.of(1L, 2L), killed(executor), "now the started job that stayed silent too");
        assertEquals("its worker sent no report for 120 s and was killed", pending.killReason());
    }

    private static java.util.Set<Long> killed(FakeExecutor executor) {
        synchronized (executor) {
            return java.util.Set.copyOf(executor.killed);
        }
    }

    @Test
    void shutting_down_interrupts_queued_and_running_runs() {
        FakeExecutor executor = new FakeExecutor(1);
        RunControl control = control(executor);
        ActiveRun running = run(1);
        ActiveRun queued = run(2);
        control.enqueue(running);
        control.enqueue(queued);
        running.stepStarted(0);
        control.close();
        assertTrue(executor.closed);
        verify(queued.recorder()).runFinished(RunStatus.INTERRUPTED, "the server shut down before this run started");
        verify(running.recorder()).runFinished(RunStatus.INTERRUPTED, "the server shut down before this run finished");
        verify(running.recorder()).stepFinished(eq(0), eq(StepStatus.CANCELLED), startsWith("the server shut down"), any());
        assertEquals(0, control.activeCount());
    }

    /** An executor whose workers outlive the server, like Slurm jobs. */
    static class JobExecutor extends FakeExecutor {
        final Map<Long, String> reattached = new LinkedHashMap<>();

        JobExecutor() {
            super(2);
        }

        @Override
        public boolean workersOutliveServer() {
            return true;
        }

        @Override
        public java.util.Optional<String> jobId(long runId) {
            return java.util.Optional.of("job-" + runId);
        }

        @Override
        public synchronized String reattach(long runId, String jobId, Path logFile, Consumer<ExecutionEnd> ended) {
            reattached.put(runId, jobId);
            running.put(runId, ended);
            return "job " + jobId;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void with_jobs_that_outlive_the_server_a_shutdown_leaves_running_runs_to_the_next_server() {
        JobExecutor executor = new JobExecutor();
        RunControl control = control(executor);
        ActiveRun running = run(1);
        control.enqueue(running);
        verify(running.recorder()).executorJob("job-1");
        assertEquals(java.time.Duration.ofSeconds(180).plus(Duration.ofHours(1)), executor.launches.get(0).timeLimit(),
                "the job's time limit is the run's");
        control.close();
        assertTrue(executor.closed);
        verify(running.recorder(), never()).runFinished(any(), any());
        verify(running.recorder()).released();
        verify(tokens, never()).revoke(1);
        assertEquals(0, control.activeCount());
    }

    @Test
    void a_reattached_run_is_watched_again_and_ends_like_a_launched_one() {
        JobExecutor executor = new JobExecutor();
        RunControl control = control(executor);
        ActiveRun run = run(4);
        control.reattach(run, "job-4", 1);
        assertEquals(Map.of(4L, "job-4"), executor.reattached);
        assertEquals(ActiveRun.State.LAUNCHED, run.state());
        assertEquals(1, run.runningStep());
        verify(run.recorder()).log(null, "INFO", "the server restarted; watching job job-4 again");
        executor.running.remove(4L).accept(new ExecutionEnd(4, -1, "Slurm job 4 NODE_FAIL", List.of(), ExecutionEnd.Cause.LOST));
        verify(run.recorder()).runFinished(RunStatus.INTERRUPTED, "its job was lost: Slurm job 4 NODE_FAIL");
        verify(run.recorder()).stepFinished(1, StepStatus.FAILED, "its job was lost: Slurm job 4 NODE_FAIL", null);
        verify(tokens).revoke(4);
        assertEquals(0, control.activeCount());
    }

    @Test
    void credentials_outlive_every_step_limit() {
        assertEquals(Duration.ofSeconds(180).plus(Duration.ofHours(1)), RunControl.credentialLifetime(run(1)));
    }
}
