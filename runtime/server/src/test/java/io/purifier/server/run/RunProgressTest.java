package io.purifier.server.run;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

class RunProgressTest {

    @Test
    void each_step_counts_with_its_weight() {
        RunProgress progress = new RunProgress(new double[]{0.05, 0.05, 1.0, 1.0}, mock(RunRecorder.class));
        assertEquals(0.0, progress.fraction(0, 0), 1e-12);
        assertEquals(0.05 / 2.1 / 2, progress.fraction(0, 0.5), 1e-12);
        progress.stepDone(0);
        progress.stepDone(1);
        assertEquals((0.1 + 0.5) / 2.1, progress.fraction(2, 0.5), 1e-12);
        progress.stepDone(2);
        assertEquals(1.0, progress.fraction(3, 1.0), 1e-12);
    }

    @Test
    void reports_the_run_progress_with_the_step_number() {
        RunRecorder recorder = mock(RunRecorder.class);
        RunProgress progress = new RunProgress(new double[]{1, 1}, recorder);
        progress.stepDone(0);
        progress.report(1, 0.5);
        verify(recorder).runProgress(0.75, 1, "step 2/2");
    }
}
