package io.purifier.attack.wanet;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BicubicUpsamplerTest {

    @Test
    void matches_hand_computed_cubic_convolution_with_a_minus_0_75() {
        float[] plane = new float[16];
        for (int r = 0; r < 4; r++) {
            plane[r * 4 + 2] = 1f;
        }
        float[] out = BicubicUpsampler.resize(plane, 4, 4, 4, 7);
        float[] expectedRow = {0f, -0.09375f, 0f, 0.59375f, 1f, 0.59375f, 0f};
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 7; c++) {
                assertEquals(expectedRow[c], out[r * 7 + c], 1e-6f, r + "," + c);
            }
        }
    }

    @Test
    void tap_weights_sum_to_one() {
        for (double t = 0; t < 1; t += 0.125) {
            double[] w = BicubicUpsampler.coefficients(t);
            assertEquals(1.0, w[0] + w[1] + w[2] + w[3], 1e-12);
        }
        assertArrayEquals(new double[] {-0.09375, 0.59375, 0.59375, -0.09375}, BicubicUpsampler.coefficients(0.5), 1e-12);
    }

    @Test
    void keeps_corners_and_the_same_size_exactly() {
        Random random = new Random(3);
        float[] plane = new float[16];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = random.nextFloat() * 2 - 1;
        }
        float[] up = BicubicUpsampler.resize(plane, 4, 4, 28, 28);
        assertEquals(plane[0], up[0], 1e-6f);
        assertEquals(plane[3], up[27], 1e-6f);
        assertEquals(plane[12], up[27 * 28], 1e-6f);
        assertEquals(plane[15], up[28 * 28 - 1], 1e-6f);
        assertArrayEquals(plane, BicubicUpsampler.resize(plane, 4, 4, 4, 4), 1e-6f);
    }
}
