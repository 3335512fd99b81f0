package io.purifier.server.dispatch;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.server.executor.ExecutorSettings;
import io.purifier.server.executor.RunResources;
import io.purifier.server.pipeline.HistoryRecorder;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.store.RunStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;

class RunWatchdogTest {

    final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    final RunWatchdog watchdog = new RunWatchdog(new ExecutorSettings("local", 1, List.of(), Duration.ofSeconds(30),
            Duration.ofSeconds(120)), Duration.ofSeconds(70));

    private ActiveRun run() {
        ValidatedPipeline p = new ValidatedPipeline("p", 1, new ValidatedPipeline.Resolved("d", ParamDescriptor.none().defaults()),
                null, null, List.of(), List.of(), Duration.ofSeconds(600));
        return new ActiveRun(3, p, "alice", 3, mock(HistoryRecorder.class), now::get);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void a_run_past_its_pipeline_s_time_limit_is_killed_counting_from_its_worker_s_first_report() {
        ValidatedPipeline p = new ValidatedPipeline("p", 1, new ValidatedPipeline.Resolved("d", ParamDescriptor.none().defaults()),
                null, null, List.of(), List.of(), Duration.ofSeconds(600), null,
                new RunResources(0, 0, Duration.ofMinutes(5)));
        ActiveRun run = new ActiveRun(4, p, "alice", 3, mock(HistoryRecorder.class), now::get);
        run.launched();
        advance(Duration.ofMinutes(10)); // waiting for a node does not count
        run.contact();
        advance(Duration.ofMinutes(4));
        run.contact();
        assertEquals(Optional.empty(), watchdog.reasonToKill(run));
        advance(Duration.ofSeconds(61));
        run.contact();
        assertEquals(Optional.of("the run ran past its time limit of 5 min (resources.timeLimitMinutes); its worker was killed"),
                watchdog.reasonToKill(run));
    }

    @Test
    void a_job_the_scheduler_still_holds_is_not_silent_and_its_heartbeat_counts_from_its_start() {
        ActiveRun run = run();
        run.launched();
        for (int minute = 0; minute < 180; minute++) { // three hours in the scheduler's queue
            advance(Duration.ofMinutes(1));
            run.waitingToStart();
            assertEquals(Optional.empty(), watchdog.reasonToKill(run));
        }
        advance(Duration.ofSeconds(119)); // started, the worker is still booting
        assertEquals(Optional.empty(), watchdog.reasonToKill(run));
        advance(Duration.ofSeconds(2));
        assertEquals(Optional.of("its worker sent no report for 120 s and was killed"), watchdog.reasonToKill(run));
    }

    @Test
    void a_queued_run_is_never_killed() {
        ActiveRun run = run();
        advance(Duration.ofDays(1));
        assertEquals(Optional.empty(), watchdog.reasonToKill(run));
    }

    @Test
    void a_cancelled_worker_is_killed_after_the_cancel_grace() {
        ActiveRun run = run();
        run.launched();
        run.cancel("cancelled by bob");
        advance(Duration.ofSeconds(29));
        run.contact();
        assertEquals(Optional.empty(), watchdog.reasonToKill(run));
        advance(Duration.ofSeconds(2));
        assertEquals(Optional.of("cancelled by bob; its worker did not stop within 30 s and was killed"), watchdog.reasonToKill(run));
    }

    @Test
    void a_silent_worker_is_killed_after_the_heartbeat_time_out() {
        ActiveRun run = run();
        run.launched();
        advance(Duration.ofSeconds(119));
        assertEquals(Optional.empty(), watchdog.reasonToKill(run));
        advance(Duration.ofSeconds(2));
        assertEquals(Optional.of("its worker sent no report for 120 s and was killed"), watchdog.reasonToKill(run));
    }

    @Test
    void a_step_past_its_limit_and_the_slack_is_stopped_even_when_its_worker_still_reports() {
        ActiveRun run = run();
        run.launched();
        run.stepStarted(2);
        for (int i = 0; i < 67; i++) {
            advance(Duration.ofSeconds(10));
            run.contact();
        }
        assertEquals(Optional.empty(), watchdog.reasonToKill(run), "600 s + 70 s slack not reached");
        advance(Duration.ofSeconds(10));
        run.contact();
        assertEquals(Optional.of("step 3 ran past its time limit of 600 s and its worker did not stop it; the worker was killed"),
                watchdog.reasonToKill(run));
        run.stepEnded();
        assertEquals(Optional.empty(), watchdog.reasonToKill(run));
    }

    @Test
    void a_worker_that_does_not_exit_after_its_final_report_is_killed() {
        ActiveRun run = run();
        run.launched();
        run.finished(RunStatus.SUCCEEDED);
        run.contact();
        advance(Duration.ofSeconds(29));
        assertEquals(Optional.empty(), watchdog.reasonToKill(run));
        advance(Duration.ofSeconds(2));
        assertEquals(Optional.of("its worker did not exit within 30 s of its final report"), watchdog.reasonToKill(run));
    }
}
