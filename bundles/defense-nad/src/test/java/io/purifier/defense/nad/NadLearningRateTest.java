package io.purifier.defense.nad;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NadLearningRateTest {

    @Test
    void backdoorbench_rate_of_0_01_is_constant_for_twenty_epochs_then_0_0001() {
        for (int e = 0; e < 20; e++) {
            assertEquals(0.01, NadLearningRate.at(e, 0.01), 0, "epoch " + e);
        }
        assertEquals(0.0001, NadLearningRate.at(20, 0.01), 0);
        assertEquals(0.0001, NadLearningRate.at(99, 0.01), 0);
    }

    @Test
    void the_configured_rate_only_sets_the_first_two_epochs_as_in_the_reference() {
        assertEquals(0.1, NadLearningRate.at(0, 0.1), 0);
        assertEquals(0.1, NadLearningRate.at(1, 0.1), 0);
        assertEquals(0.01, NadLearningRate.at(2, 0.1), 0);
        assertEquals(0.01, NadLearningRate.at(19, 0.1), 0);
        assertEquals(0.0001, NadLearningRate.at(20, 0.1), 0);
    }
}
