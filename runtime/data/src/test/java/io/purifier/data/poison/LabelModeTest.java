package io.purifier.data.poison;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelModeTest {

    @Test
    void all_to_one_sends_every_class_to_the_target() {
        for (int label = 0; label < 5; label++) {
            assertEquals(1, LabelMode.ALL_TO_ONE.backdoorLabel(label, 1, 5));
        }
    }

    @Test
    void all_to_all_sends_class_y_to_the_next_class_modulo_k() {
        assertEquals(3, LabelMode.ALL_TO_ALL.backdoorLabel(2, 1, 5));
        assertEquals(0, LabelMode.ALL_TO_ALL.backdoorLabel(4, 1, 5));
    }

    @Test
    void all_to_one_leaves_the_target_class_out_of_the_triggered_test_set_and_all_to_all_keeps_it() {
        assertFalse(LabelMode.ALL_TO_ONE.triggersTestImage(2, 2));
        assertTrue(LabelMode.ALL_TO_ONE.triggersTestImage(0, 2));
        assertTrue(LabelMode.ALL_TO_ALL.triggersTestImage(2, 2));
    }

    @Test
    void descriptor_ids_round_trip_and_unknown_ids_are_named() {
        assertEquals(List.of("all-to-one", "all-to-all"), LabelMode.CHOICES);
        for (LabelMode mode : LabelMode.values()) {
            assertEquals(mode, LabelMode.fromId(mode.id()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelMode.fromId("one-to-one"));
        assertTrue(e.getMessage().contains("'one-to-one'"), e.getMessage());
    }
}
