package io.purifier.attack.wanet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GridSamplerTest {

    private static final float[] IMAGE_3X3 = {0, 1, 2, 3, 4, 5, 6, 7, 8};

    private static float sampleAt(float gx, float gy) {
        WarpGrid grid = WarpGrid.of(1, 1, new float[] {gx}, new float[] {gy});
        return GridSampler.sample(new float[] {0.7f}, 1, 1, 1, grid)[0];
    }

    @Test
    void matches_hand_computed_bilinear_values_with_align_corners() {
        float[] x = {-0.5f, 1f, 0f, -1f, 0.25f, 1f, 1f, -1f, 0.5f};
        float[] y = {0.5f, 1f, 0f, -1f, -1f, -1f, 0f, 1f, 0.5f};
        WarpGrid grid = WarpGrid.of(3, 3, x, y);
        float[] out = GridSampler.sample(IMAGE_3X3, 1, 3, 3, grid);
        // (-0.5, 0.5) -> column 0.5, row 1.5: mean of 3, 4, 6, 7 = 5
        // (1, 1) -> last pixel 8; (0, 0) -> centre 4; (-1, -1) -> first pixel 0
        // (0.25, -1) -> column 1.25, row 0: 0.75 * 1 + 0.25 * 2 = 1.25
        // (1, -1) -> 2; (1, 0) -> 5; (-1, 1) -> 6; (0.5, 0.5) -> column 1.5, row 1.5: mean of 4, 5, 7, 8 = 6
        assertArrayEquals(new float[] {5f, 8f, 4f, 0f, 1.25f, 2f, 5f, 6f, 6f}, out, 1e-6f);
    }

    @Test
    void identity_grid_reproduces_every_channel() {
        float[] image = new float[2 * 4 * 5];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i * 37 % 11) / 10f;
        }
        assertArrayEquals(image, GridSampler.sample(image, 2, 4, 5, WarpGrid.identity(4, 5)), 1e-6f);
    }

    @Test
    void a_one_pixel_image_is_sampled_at_its_only_pixel() {
        assertEquals(0.7f, sampleAt(0f, 0f), 0f);
        assertEquals(0.7f, sampleAt(1f, -1f), 0f);
    }
}
