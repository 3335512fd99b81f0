package io.purifier.defense.ftsam;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StepScheduleTest {

    @Test
    void the_per_step_cosine_falls_to_zero_at_t_and_rises_again() {
        StepSchedule s = new StepSchedule(StepSchedule.Kind.COSINE_STEPS, 0.01, 100, 20, 2, 2);
        assertEquals(0.01, s.learningRate(0, 0), 1e-18);
        assertEquals(0.005, s.learningRate(3, 50), 1e-15);
        assertEquals(0.0, s.learningRate(9, 100), 1e-18);
        assertEquals(0.005, s.learningRate(12, 150), 1e-15);
        assertEquals(0.01, s.learningRate(19, 200), 1e-15);
    }

    @Test
    void the_per_epoch_cosine_and_the_constant_rate_ignore_the_step() {
        StepSchedule cos = new StepSchedule(StepSchedule.Kind.COSINE_EPOCHS, 0.02, 100, 4, 2, 2);
        assertEquals(0.02, cos.learningRate(0, 77), 1e-18);
        assertEquals(0.01, cos.learningRate(2, 3), 1e-15);
        StepSchedule constant = new StepSchedule(StepSchedule.Kind.CONSTANT, 0.02, 100, 4, 2, 2);
        assertEquals(0.02, constant.learningRate(3, 1000), 0);
    }

    @Test
    void the_radius_follows_the_rate_between_its_bounds() {
        StepSchedule s = new StepSchedule(StepSchedule.Kind.COSINE_STEPS, 0.01, 100, 20, 1, 3);
        assertEquals(3, s.rho(0.01), 1e-15);
        assertEquals(2, s.rho(0.005), 1e-15);
        assertEquals(1, s.rho(0), 0);
        assertEquals(2.0, new StepSchedule(StepSchedule.Kind.CONSTANT, 0.01, 1, 1, 2, 2).rho(0.003), 0,
                "equal bounds: constant radius (the reference default)");
    }

    @Test
    void names_an_unknown_schedule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StepSchedule.Kind.fromId("step"));
        assertEquals("unknown schedule 'step' (one of [cosine-steps, cosine-epochs, constant])", e.getMessage());
        assertEquals(StepSchedule.Kind.COSINE_EPOCHS, StepSchedule.Kind.fromId("cosine-epochs"));
    }
}
