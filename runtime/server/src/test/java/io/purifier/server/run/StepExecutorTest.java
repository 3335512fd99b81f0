package io.purifier.server.run;

import io.purifier.api.InvalidInputException;
import io.purifier.server.store.StepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

class StepExecutorTest {

    @TempDir
    Path dir;

    private StepContext ctx() {
        return new StepContext(0, 42, dir, mock(RunRecorder.class), null, null, f -> { });
    }

    @Test
    void returns_the_value_of_a_step_that_finishes() throws Exception {
        assertEquals("ok", StepExecutor.run(() -> "ok", ctx(), Duration.ofSeconds(5)));
    }

    @Test
    void a_throwing_plugin_fails_the_step_with_its_message() {
        StepFailure f = assertThrows(StepFailure.class, () -> StepExecutor.run(() -> {
            throw new IllegalStateException("broken weights");
        }, ctx(), Duration.ofSeconds(5)));
        assertEquals(StepStatus.FAILED, f.status());
        assertTrue(f.getMessage().startsWith("IllegalStateException: broken weights"), f.getMessage());
    }

    @Test
    void user_mistakes_keep_their_plain_message() {
        StepFailure f = assertThrows(StepFailure.class, () -> StepExecutor.run(() -> {
            throw new InvalidInputException("trigger size 40 exceeds the 28x28 image");
        }, ctx(), Duration.ofSeconds(5)));
        assertEquals("trigger size 40 exceeds the 28x28 image", f.getMessage());
    }

    @Test
    void a_hanging_plugin_fails_when_its_time_limit_passes() {
        long start = System.nanoTime();
        StepFailure f = assertThrows(StepFailure.class, () -> StepExecutor.run(() -> {
            Thread.sleep(Long.MAX_VALUE);
            return null;
        }, ctx(), Duration.ofMillis(300)));
        assertEquals(StepStatus.FAILED, f.status());
        assertTrue(f.getMessage().contains("time limit"), f.getMessage());
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }

    @Test
    void cancellation_reaches_a_cooperative_plugin() throws Exception {
        StepContext ctx = ctx();
        Thread canceller = new Thread(() -> ctx.cancel("cancelled by alice"));
        StepFailure f = assertThrows(StepFailure.class, () -> StepExecutor.run(() -> {
            canceller.start();
            while (true) {
                ctx.checkCancelled();
                Thread.onSpinWait();
            }
        }, ctx, Duration.ofSeconds(30)));
        assertEquals(StepStatus.CANCELLED, f.status());
        assertEquals("cancelled by alice", f.getMessage());
    }

    @Test
    void out_of_memory_is_described_in_plain_words() {
        assertTrue(StepExecutor.describe(new OutOfMemoryError("Cannot allocate 4 GB")).startsWith("ran out of memory"));
    }

    @Test
    void step_seeds_differ_by_position_and_repeat_for_the_same_pipeline_seed() {
        assertEquals(StepContext.stepSeed(42, 3), StepContext.stepSeed(42, 3));
        assertTrue(StepContext.stepSeed(42, 3) != StepContext.stepSeed(42, 4));
        assertTrue(StepContext.stepSeed(42, 3) != StepContext.stepSeed(43, 3));
        assertTrue(StepContext.stepSeed(7, 0) >= 0);
    }
}
