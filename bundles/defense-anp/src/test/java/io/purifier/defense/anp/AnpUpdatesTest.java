package io.purifier.defense.anp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class AnpUpdatesTest {

    @Test
    void the_perturbation_ascends_by_a_fixed_step_in_the_sign_of_the_gradient() {
        double[][] noise = {{0.1, -0.3, 0.0}, {0.2}};
        AnpUpdates.signAscent(noise, new double[][]{{2.5, -1e-9, 0.0}, {-7}}, 0.4);
        assertArrayEquals(new double[]{0.5, -0.7, 0.0}, noise[0], 1e-15);
        assertArrayEquals(new double[]{-0.2}, noise[1], 1e-15);
    }

    @Test
    void mask_gradient_weighs_clean_and_perturbed_terms_by_alpha() {
        double[][] g = AnpUpdates.maskGradient(0.2, new double[][]{{1, -2}}, new double[][]{{3, 4}});
        assertArrayEquals(new double[]{0.2 + 2.4, -0.4 + 3.2}, g[0], 1e-15);
        assertArrayEquals(new double[]{0.2, -0.4}, AnpUpdates.maskGradient(0.2, new double[][]{{1, -2}}, null)[0], 1e-15);
    }

    @Test
    void mask_sgd_starts_its_momentum_at_the_first_gradient_and_clips_to_zero_one() {
        double[][] mask = {{1.0, 1.0, 0.05}};
        AnpUpdates.MaskSgd sgd = new AnpUpdates.MaskSgd(0.9);
        sgd.step(mask, new double[][]{{0.5, -2, 1}}, 0.1);
        // v = g: 1 - 0.05 = 0.95; 1 + 0.2 -> 1; 0.05 - 0.1 -> 0
        assertArrayEquals(new double[]{0.95, 1.0, 0.0}, mask[0], 1e-15);
        sgd.step(mask, new double[][]{{1, 0, -0.2}}, 0.1);
        // v = 0.9 * 0.5 + 1 = 1.45 -> 0.95 - 0.145; v = -1.8 -> 1 + 0.18 -> 1; v = 0.9 - 0.2 = 0.7 -> 0 - 0.07 -> 0
        assertArrayEquals(new double[]{0.805, 1.0, 0.0}, mask[0], 1e-12);
    }

    @Test
    void sums_and_fills_keep_the_layer_shapes() {
        double[][] a = {{1, 2}, {3}};
        assertArrayEquals(new double[]{2, 3}, AnpUpdates.sum(a, AnpUpdates.filled(a, 1))[0], 0);
        assertArrayEquals(new double[]{4}, AnpUpdates.sum(a, AnpUpdates.filled(a, 1))[1], 0);
    }
}
