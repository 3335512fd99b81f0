package io.purifier.server.dispatch;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.server.executor.ExecutionEnd;
import io.purifier.server.pipeline.HistoryRecorder;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.run.RunJob;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.StepStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;

class RunEndingsTest {

    private static ActiveRun run() {
        ValidatedPipeline p = new ValidatedPipeline("p", 1, new ValidatedPipeline.Resolved("d", ParamDescriptor.none().defaults()),
                null, null, List.of(), List.of(), Duration.ofSeconds(60));
        ActiveRun run = new ActiveRun(3, p, "alice", 3, mock(HistoryRecorder.class), System::nanoTime);
        run.launched();
        return run;
    }

    private static final ExecutionEnd KILLED = new ExecutionEnd(3, 137, ExecutionEnd.describeExitCode(137),
            List.of("line 1", "line 2", "line 3", "line 4"));

    @Test
    void a_worker_that_died_fails_its_run_with_the_signal_and_its_last_log_lines() {
        RunEndings.Ending e = RunEndings.of(run(), KILLED, false);
        assertEquals(RunStatus.FAILED, e.status());
        assertEquals(StepStatus.FAILED, e.stepStatus());
        assertEquals("the worker process ended (killed by signal 9 (SIGKILL)) before finishing the run; the last lines of its "
                + "log: line 2 | line 3 | line 4", e.error());
        assertEquals("the worker process ended (exit code 1) before finishing the run; it wrote no output",
                RunEndings.of(run(), new ExecutionEnd(3, 1, "exit code 1", List.of()), false).error());
    }

    @Test
    void a_cancelled_run_ends_cancelled_and_a_killed_one_with_the_kill_reason() {
        ActiveRun cancelled = run();
        cancelled.cancel("cancelled by bob");
        assertEquals(new RunEndings.Ending(RunStatus.CANCELLED, StepStatus.CANCELLED, "cancelled by bob"),
                RunEndings.of(cancelled, KILLED, false));
        ActiveRun killed = run();
        killed.killed("its worker sent no report for 120 s and was killed");
        assertEquals(new RunEndings.Ending(RunStatus.FAILED, StepStatus.FAILED, "its worker sent no report for 120 s and was killed"),
                RunEndings.of(killed, KILLED, false));
    }

    @Test
    void a_server_shutdown_interrupts_the_run() {
        assertEquals(RunStatus.INTERRUPTED, RunEndings.of(run(), KILLED, true).status());
        ActiveRun stopping = run();
        stopping.cancel(RunJob.SHUTDOWN);
        assertEquals(RunStatus.INTERRUPTED, RunEndings.of(stopping, KILLED, false).status());
    }

    @Test
    void a_scheduler_s_own_end_of_the_job_decides_the_status_with_its_reason() {
        ExecutionEnd scancel = new ExecutionEnd(3, 143, "Slurm job 12 CANCELLED", List.of(), ExecutionEnd.Cause.CANCELLED);
        assertEquals(new RunEndings.Ending(RunStatus.CANCELLED, StepStatus.CANCELLED,
                "its job was cancelled outside Purifier: Slurm job 12 CANCELLED"), RunEndings.of(run(), scancel, false));
        ExecutionEnd timeout = new ExecutionEnd(3, 0, "Slurm job 12 TIMEOUT (reason TimeLimit)", List.of("x"),
                ExecutionEnd.Cause.LIMIT);
        assertEquals(new RunEndings.Ending(RunStatus.FAILED, StepStatus.FAILED, "the scheduler stopped its job at a limit: "
                + "Slurm job 12 TIMEOUT (reason TimeLimit); the last lines of its log: x"), RunEndings.of(run(), timeout, false));
        ExecutionEnd nodeFail = new ExecutionEnd(3, -1, "Slurm job 12 NODE_FAIL (reason NodeDown)", List.of(),
                ExecutionEnd.Cause.LOST);
        assertEquals(new RunEndings.Ending(RunStatus.INTERRUPTED, StepStatus.FAILED,
                "its job was lost: Slurm job 12 NODE_FAIL (reason NodeDown)"), RunEndings.of(run(), nodeFail, false));
        ActiveRun cancelledHere = run();
        cancelledHere.cancel("cancelled by bob");
        assertEquals("cancelled by bob", RunEndings.of(cancelledHere, scancel, false).error(),
                "a cancel through Purifier keeps its own reason");
    }

    @Test
    void exit_codes_above_128_name_the_signal() {
        assertEquals("killed by signal 11 (SIGSEGV)", ExecutionEnd.describeExitCode(139));
        assertEquals("killed by signal 15 (SIGTERM)", ExecutionEnd.describeExitCode(143));
        assertEquals("exit code 3", ExecutionEnd.describeExitCode(3));
    }
}
