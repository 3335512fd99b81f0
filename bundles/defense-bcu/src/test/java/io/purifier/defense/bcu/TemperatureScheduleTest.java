package io.purifier.defense.bcu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TemperatureScheduleTest {

    @Test
    void rises_linearly_from_just_above_one_to_four_over_the_epochs() {
        TemperatureSchedule s = new TemperatureSchedule(4, 4.0);
        assertEquals(1.75, s.at(0), 1e-15);
        assertEquals(2.5, s.at(1), 1e-15);
        assertEquals(3.25, s.at(2), 1e-15);
        assertEquals(4.0, s.at(3), 1e-15);
    }

    @Test
    void matches_the_reference_formula_for_one_hundred_epochs() {
        TemperatureSchedule s = new TemperatureSchedule(100, 4.0);
        assertEquals(1.03, s.at(0), 1e-12);
        assertEquals(2.5, s.at(49), 1e-12);
        assertEquals(4.0, s.at(99), 1e-12);
        for (int e = 0; e < 100; e++) {
            assertEquals(1 + 3.0 * (e + 1) / 100, s.at(e), 1e-12, "epoch " + e);
        }
    }

    @Test
    void a_single_epoch_distils_at_the_maximum_and_a_maximum_of_one_keeps_it_constant() {
        assertEquals(4.0, new TemperatureSchedule(1, 4.0).at(0), 1e-15);
        assertEquals(1.0, new TemperatureSchedule(7, 1.0).at(3), 1e-15);
        assertEquals(6.0, new TemperatureSchedule(2, 11.0).at(0), 1e-15);
    }

    @Test
    void rejects_epochs_outside_the_schedule_and_bad_settings() {
        TemperatureSchedule s = new TemperatureSchedule(3, 4.0);
        assertThrows(IllegalArgumentException.class, () -> s.at(3));
        assertThrows(IllegalArgumentException.class, () -> s.at(-1));
        assertThrows(IllegalArgumentException.class, () -> new TemperatureSchedule(0, 4.0));
        assertThrows(IllegalArgumentException.class, () -> new TemperatureSchedule(3, 0.5));
    }
}
