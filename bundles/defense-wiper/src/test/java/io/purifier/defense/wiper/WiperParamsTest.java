package io.purifier.defense.wiper;

import io.purifier.api.param.InvalidParametersException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WiperParamsTest {

    @Test
    void defaults_are_the_reference_scripts_values() {
        WiperParams p = WiperParams.from(WiperParams.DESCRIPTOR.defaults());
        assertEquals(0.01, p.alpha());
        assertEquals(0.5, p.beta());
        assertEquals(0.9, p.eta());
        assertEquals(10, p.epochs());
        assertEquals(0.01, p.learningRate());
        assertEquals(0.0, p.momentum());
        assertEquals(0.0, p.weightDecay());
        assertEquals(128, p.batchSize());
        assertEquals("classifier", p.layers());
        assertEquals(SelectionRule.HIGHEST_SALIENCE, p.selection());
    }

    @Test
    void the_penalty_variant_is_a_variant_of_the_method_and_the_selection_a_setting_of_it() {
        assertTrue(WiperParams.DESCRIPTOR.spec("variant").variant());
        assertFalse(WiperParams.DESCRIPTOR.spec("selection").variant());
    }

    @ParameterizedTest
    @CsvSource({"alpha, -0.1", "beta, 1.5", "eta, 2", "epochs, 0", "batchSize, 1", "variant, paper", "selection, random"})
    void rejects_out_of_range_values_and_names_the_parameter(String name, String value) {
        var e = assertThrows(InvalidParametersException.class,
                () -> WiperParams.from(WiperParams.DESCRIPTOR.resolve(Map.of(name, value))));
        assertEquals(name, e.parameter());
    }

    @Test
    void reference_variant_refuses_the_lowest_abs_selection_and_names_it() {
        var e = assertThrows(InvalidParametersException.class, () -> WiperParams.from(WiperParams.DESCRIPTOR.resolve(
                Map.of("variant", "reference", "selection", "lowest-abs-salience"))));
        assertEquals("selection", e.parameter());
        WiperParams corrected = WiperParams.from(WiperParams.DESCRIPTOR.resolve(
                Map.of("variant", "corrected", "selection", "lowest-abs-salience")));
        assertEquals(SelectionRule.LOWEST_ABS_SALIENCE, corrected.selection());
    }
}
