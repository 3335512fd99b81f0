package io.purifier.defense.npd;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class PerturbationsTest {

    private static INDArray images(float[][] rows) {
        return Nd4j.createFromArray(rows).reshape(rows.length, 1, 2, 2);
    }

    private static float[] flat(INDArray a) {
        return a.reshape(a.length()).toFloatVector();
    }

    @Test
    void l2_projection_rescales_only_images_outside_the_ball() {
        INDArray delta = images(new float[][]{{3, 4, 0, 0}, {0.3f, 0.4f, 0, 0}});
        INDArray p = Perturbations.project(delta, AttackNorm.L2, 2.5);
        assertArrayEquals(new float[]{1.5f, 2f, 0, 0, 0.3f, 0.4f, 0, 0}, flat(p), 1e-6f);
    }

    @Test
    void l2_projection_onto_radius_zero_gives_zero_without_nan() {
        INDArray delta = images(new float[][]{{0, 0, 0, 0}, {1, 0, 0, 0}});
        assertArrayEquals(new float[8], flat(Perturbations.project(delta, AttackNorm.L2, 0)), 0f);
    }

    @Test
    void linf_projection_clamps_each_pixel() {
        INDArray delta = images(new float[][]{{0.5f, -0.5f, 0.1f, -0.2f}});
        assertArrayEquals(new float[]{0.2f, -0.2f, 0.1f, -0.2f}, flat(Perturbations.project(delta, AttackNorm.LINF, 0.2)), 1e-7f);
    }

    @Test
    void perturbed_images_are_clipped_but_delta_is_not() {
        INDArray x = images(new float[][]{{0, 1, 0.5f, 0.9f}});
        INDArray delta = images(new float[][]{{-0.3f, 0.3f, 0.25f, 0.3f}});
        assertArrayEquals(new float[]{0, 1, 0.75f, 1}, flat(Perturbations.perturbed(x, delta)), 1e-7f);
        assertArrayEquals(new float[]{-0.3f, 0.3f, 0.25f, 0.3f}, flat(delta), 0f);
    }

    @Test
    void clip_passes_the_gradient_inside_and_on_the_bounds_only() {
        INDArray x = images(new float[][]{{0, 1, 0.5f, 0.9f}});
        INDArray delta = images(new float[][]{{0, 0, 0.6f, -1.0f}});
        INDArray g = images(new float[][]{{2, -3, 4, 5}});
        assertArrayEquals(new float[]{2, -3, 0, 0}, flat(Perturbations.gradientThroughClip(x, delta, g)), 0f);
    }

    @Test
    void sign_step_descends_and_ignores_zero_gradients() {
        INDArray delta = images(new float[][]{{0, 0.1f, 0.2f, 0}});
        INDArray g = images(new float[][]{{2, -3, 0, 0.001f}});
        assertArrayEquals(new float[]{-0.1f, 0.2f, 0.2f, -0.1f}, flat(Perturbations.step(delta, g, 0.1, StepRule.SIGN)), 1e-7f);
    }

    @Test
    void gradient_step_scales_the_raw_gradient() {
        INDArray delta = images(new float[][]{{0, 0.1f, 0.2f, 0}});
        INDArray g = images(new float[][]{{2, -3, 0, 0.5f}});
        assertArrayEquals(new float[]{-0.2f, 0.4f, 0.2f, -0.05f}, flat(Perturbations.step(delta, g, 0.1, StepRule.GRADIENT)), 1e-7f);
    }

    @Test
    void max_init_starts_at_plus_radius() {
        assertArrayEquals(new float[]{0.2f, 0.2f, 0.2f, 0.2f},
                flat(Perturbations.initial(new long[]{1, 1, 2, 2}, true, 0.2)), 0f);
        assertArrayEquals(new float[4], flat(Perturbations.initial(new long[]{1, 1, 2, 2}, false, 0.2)), 0f);
    }
}
