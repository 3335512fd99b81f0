package io.purifier.data.poison;

import io.purifier.api.param.InvalidParametersException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttackChecksTest {

    @Test
    void poison_count_is_the_rounded_share_of_the_whole_training_set() {
        assertEquals(4, AttackChecks.poisonCount(0.1, 40));
        assertEquals(3, AttackChecks.poisonCount(0.25, 10));
        assertEquals(7, AttackChecks.poisonCount(1.0, 7));
    }

    @Test
    void a_ratio_that_poisons_nothing_is_rejected_with_the_smallest_useful_ratio() {
        InvalidParametersException e = assertThrows(InvalidParametersException.class,
                () -> AttackChecks.poisonCount(0.01, 10));
        assertEquals("poisonRatio", e.parameter());
        assertTrue(e.getMessage().contains("use at least 0.05"), e.getMessage());
    }

    @Test
    void ratios_outside_zero_to_one_are_rejected() {
        for (double bad : new double[] {0.0, -0.1, 1.5, Double.NaN}) {
            assertEquals("poisonRatio", assertThrows(InvalidParametersException.class,
                    () -> AttackChecks.checkPoisonRatio(bad)).parameter(), "ratio " + bad);
        }
        assertDoesNotThrow(() -> AttackChecks.checkPoisonRatio(1.0));
    }

    @Test
    void target_label_must_be_one_of_the_classes() {
        InvalidParametersException e = assertThrows(InvalidParametersException.class,
                () -> AttackChecks.checkTargetLabel(3, 3));
        assertEquals("targetLabel", e.parameter());
        assertTrue(e.getMessage().contains("labels 0..2"), e.getMessage());
        assertThrows(InvalidParametersException.class, () -> AttackChecks.checkTargetLabel(-1, 3));
        assertDoesNotThrow(() -> AttackChecks.checkTargetLabel(2, 3));
    }
}
