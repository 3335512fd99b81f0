package io.purifier.defense.wiper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdaptiveRegularizationTest {

    private static final double ALPHA = 0.01;
    private static final double E_HALF = Math.exp(0.5);
    private static final AdaptiveRegularization CORRECTED = new AdaptiveRegularization(PenaltyVariant.CORRECTED, ALPHA);
    private static final AdaptiveRegularization REFERENCE = new AdaptiveRegularization(PenaltyVariant.REFERENCE, ALPHA);

    @ParameterizedTest(name = "corrected, selected, w = {0}")
    @CsvSource({
            "0.5, 0.005, 0.01",        // |w| < 1: alpha |w|, alpha sign(w)
            "1.0, 0.01, 0.01",         // |w| = 1: both branches agree (value alpha, slope alpha)
            "-0.5, 0.005, -0.01",      // negative, |w| < 1
            "-1.0, 0.01, -0.01",       // negative, |w| = 1
            "0.0, 0.0, 0.0"})          // sign(0) = 0, as PyTorch's abs gradient
    void corrected_penalty_is_l1_inside_the_unit_interval(double w, double value, double gradient) {
        assertEquals(value, CORRECTED.value(w, true), 1e-15);
        assertEquals(gradient, CORRECTED.gradient(w, true), 1e-15);
    }

    @Test
    void corrected_penalty_is_exponential_and_symmetric_outside_the_unit_interval() {
        assertEquals(ALPHA * E_HALF, CORRECTED.value(1.5, true), 1e-15);
        assertEquals(ALPHA * E_HALF, CORRECTED.gradient(1.5, true), 1e-15);
        assertEquals(ALPHA * E_HALF, CORRECTED.value(-1.5, true), 1e-15);
        assertEquals(-ALPHA * E_HALF, CORRECTED.gradient(-1.5, true), 1e-15);
        assertEquals(ALPHA * Math.exp(2), CORRECTED.value(-3.0, true), 1e-15);
    }

    @Test
    void corrected_penalty_ignores_unselected_elements() {
        for (double w : new double[]{-3, -1, -0.5, 0, 0.5, 1, 1.5}) {
            assertEquals(0.0, CORRECTED.value(w, false));
            assertEquals(0.0, CORRECTED.gradient(w, false));
        }
    }

    @Test
    void reference_penalty_matches_the_corrected_one_for_selected_elements_up_to_one_and_above() {
        assertEquals(0.005, REFERENCE.value(0.5, true), 1e-15);
        assertEquals(0.01, REFERENCE.gradient(0.5, true), 1e-15);
        assertEquals(0.01, REFERENCE.value(1.0, true), 1e-15);
        assertEquals(0.01, REFERENCE.gradient(1.0, true), 1e-15);
        assertEquals(0.01, REFERENCE.value(-1.0, true), 1e-15);
        assertEquals(-0.01, REFERENCE.gradient(-1.0, true), 1e-15);
        assertEquals(ALPHA * E_HALF, REFERENCE.value(1.5, true), 1e-15);
        assertEquals(ALPHA * E_HALF, REFERENCE.gradient(1.5, true), 1e-15);
    }

    @Test
    void reference_penalty_below_minus_one_is_negative_and_pushes_further_negative() {
        // The code adds alpha * (-1) * exp(-w - 1): value -alpha e^0.5 at w = -1.5, derivative +alpha e^0.5, so a
        // gradient-descent step lowers w.
        assertEquals(-ALPHA * E_HALF, REFERENCE.value(-1.5, true), 1e-15);
        assertEquals(ALPHA * E_HALF, REFERENCE.gradient(-1.5, true), 1e-15);
    }

    @Test
    void reference_penalty_leaks_l1_onto_unselected_elements() {
        assertEquals(0.005, REFERENCE.value(0.5, false), 1e-15);
        assertEquals(0.01, REFERENCE.gradient(0.5, false), 1e-15);
        assertEquals(0.015, REFERENCE.value(1.5, false), 1e-15);
        assertEquals(0.01, REFERENCE.gradient(1.5, false), 1e-15);
        assertEquals(0.015, REFERENCE.value(-1.5, false), 1e-15);
        assertEquals(-0.01, REFERENCE.gradient(-1.5, false), 1e-15);
        assertEquals(0.0, REFERENCE.gradient(0.0, false));
    }

    @Test
    void gradients_match_finite_differences_away_from_the_kinks() {
        double h = 1e-6;
        for (AdaptiveRegularization r : new AdaptiveRegularization[]{CORRECTED, REFERENCE}) {
            for (double w : new double[]{-2.3, -1.4, -0.7, 0.3, 0.9, 1.2, 2.5}) {
                for (boolean selected : new boolean[]{true, false}) {
                    double numeric = (r.value(w + h, selected) - r.value(w - h, selected)) / (2 * h);
                    assertEquals(numeric, r.gradient(w, selected), 1e-8, "w = " + w + ", selected = " + selected);
                }
            }
        }
    }

    @Test
    void apply_sums_the_penalty_and_writes_every_gradient() {
        double[] w = {0.5, -1.5, 1.5, 2.0};
        boolean[] mask = {true, true, false, true};
        double[] g = new double[4];
        double sum = REFERENCE.apply(w, mask, g);
        assertEquals(0.005 - ALPHA * E_HALF + 0.015 + ALPHA * Math.E, sum, 1e-15);
        assertArrayEquals(new double[]{0.01, ALPHA * E_HALF, 0.01, ALPHA * Math.E}, g, 1e-15);

        sum = CORRECTED.apply(w, mask, g);
        assertEquals(0.005 + ALPHA * E_HALF + ALPHA * Math.E, sum, 1e-15);
        assertArrayEquals(new double[]{0.01, -ALPHA * E_HALF, 0.0, ALPHA * Math.E}, g, 1e-15);
    }

    @Test
    void rejects_negative_alpha_and_mismatched_lengths() {
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveRegularization(PenaltyVariant.CORRECTED, -0.1));
        assertThrows(IllegalArgumentException.class, () -> CORRECTED.apply(new double[2], new boolean[3], new double[2]));
    }
}
