package io.purifier.attack.wanet;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarpGridTest {

    private static ControlField constantField(float fx, float fy) {
        float[] x = new float[16];
        float[] y = new float[16];
        java.util.Arrays.fill(x, fx);
        java.util.Arrays.fill(y, fy);
        return new ControlField(4, x, y);
    }

    @Test
    void zero_strength_gives_the_identity_grid_and_leaves_images_unchanged() {
        WarpGrid grid = WarpGrid.warping(ControlField.random(4, new Random(1)), 6, 8, 0.0, 1.0);
        WarpGrid identity = WarpGrid.identity(6, 8);
        for (int p = 0; p < 48; p++) {
            assertEquals(identity.x(p), grid.x(p), 0f);
            assertEquals(identity.y(p), grid.y(p), 0f);
        }
        float[] image = new float[3 * 48];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i % 7) / 7f;
        }
        float[] warped = grid.warp(image, 3);
        for (int i = 0; i < image.length; i++) {
            assertEquals(image[i], warped[i], 1e-6f);
        }
        assertEquals(0.0, grid.maxDisplacementPixels(), 1e-5);
    }

    @Test
    void identity_is_linspace_minus_one_to_one_along_each_axis() {
        WarpGrid identity = WarpGrid.identity(3, 5);
        assertEquals(-1f, identity.x(0), 0f);
        assertEquals(-0.5f, identity.x(1), 0f);
        assertEquals(1f, identity.x(4), 0f);
        assertEquals(-1f, identity.y(0), 0f);
        assertEquals(0f, identity.y(5), 0f);
        assertEquals(1f, identity.y(14), 0f);
    }

    @Test
    void constant_field_shifts_by_s_times_field_over_size_then_rescales_and_clamps() {
        WarpGrid grid = WarpGrid.warping(constantField(2f, -1f), 4, 8, 0.5, 1.0);
        WarpGrid identity = WarpGrid.identity(4, 8);
        for (int p = 0; p < 32; p++) {
            assertEquals(Math.min(1f, identity.x(p) + 0.5f * 2f / 8), grid.x(p), 1e-6f);
            assertEquals(Math.max(-1f, identity.y(p) - 0.5f / 4), grid.y(p), 1e-6f);
        }
        WarpGrid rescaled = WarpGrid.warping(constantField(0f, 0f), 4, 8, 0.5, 0.5);
        for (int p = 0; p < 32; p++) {
            assertEquals(identity.x(p) * 0.5f, rescaled.x(p), 1e-6f);
        }
    }

    @Test
    void noise_mode_moves_each_point_by_less_than_one_pixel_pitch_and_is_seeded() {
        WarpGrid grid = WarpGrid.warping(ControlField.random(4, new Random(2)), 8, 8, 0.5, 1.0);
        WarpGrid a = grid.withRandomNoise(new Random(9));
        WarpGrid b = grid.withRandomNoise(new Random(9));
        boolean moved = false;
        for (int p = 0; p < 64; p++) {
            assertEquals(a.x(p), b.x(p), 0f);
            assertTrue(Math.abs(a.x(p) - grid.x(p)) <= 1f / 8 + 1e-6f);
            assertTrue(Math.abs(a.y(p) - grid.y(p)) <= 1f / 8 + 1e-6f);
            assertTrue(a.x(p) >= -1f && a.x(p) <= 1f && a.y(p) >= -1f && a.y(p) <= 1f);
            moved |= a.x(p) != grid.x(p);
        }
        assertTrue(moved);
    }

    @Test
    void default_strength_warps_by_under_a_pixel_on_cifar_sized_images() {
        WarpGrid grid = WarpGrid.warping(ControlField.random(4, new Random(4)), 32, 32, 0.5, 1.0);
        double max = grid.maxDisplacementPixels();
        assertTrue(max > 0.05 && max < 2.0, "largest displacement " + max);
    }

    @Test
    void control_field_has_mean_absolute_value_one_and_depends_on_the_seed() {
        ControlField field = ControlField.random(4, new Random(5));
        double sum = 0;
        for (int i = 0; i < 16; i++) {
            sum += Math.abs(field.x()[i]) + Math.abs(field.y()[i]);
        }
        assertEquals(1.0, sum / 32, 1e-5);
        assertEquals(field.x()[3], ControlField.random(4, new Random(5)).x()[3], 0f);
        assertTrue(field.x()[3] != ControlField.random(4, new Random(6)).x()[3]);
    }
}
