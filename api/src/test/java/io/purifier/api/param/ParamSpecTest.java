package io.purifier.api.param;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParamSpecTest {

    @Test
    void a_choice_marked_as_a_variant_keeps_the_mark_through_refinements() {
        ParamSpec variant = ParamSpec.choice("variant", "reference", List.of("reference", "corrected"), "Penalty form.")
                .asVariant().withUnit("form");
        assertTrue(variant.variant());
        assertEquals("form", variant.unit());
        assertEquals(List.of("reference", "corrected"), variant.choices());
    }

    @Test
    void parameters_are_no_variants_unless_marked_and_only_choices_can_be() {
        assertFalse(ParamSpec.choice("norm", "L2", List.of("L2", "Linf"), "Norm.").variant());
        assertFalse(new ParamSpec("n", ParamType.INTEGER, 1, 0.0, 9.0, List.of(), "", "help").variant());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParamSpec.integer("epochs", 1, 1, 10, "Epochs.").asVariant());
        assertEquals("parameter 'epochs' can only be a variant as a choice", e.getMessage());
    }
}
