package io.purifier.defense.nc;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TriggerTest {

    @Test
    void squashing_maps_to_zero_one_and_its_derivative_matches_central_differences() {
        double eps = 1e-7;
        double[] raw = {-3, -0.5, 0, 1, 4};
        double[] s = Trigger.squash(raw, eps);
        assertEquals(0.5, s[2], 0);
        assertEquals(Math.tanh(1) / (2 + eps) + 0.5, s[3], 1e-15);
        double[] d = Trigger.squashDerivative(raw, eps);
        for (int i = 0; i < raw.length; i++) {
            double h = 1e-6;
            double numeric = (Trigger.squash(new double[]{raw[i] + h}, eps)[0] - Trigger.squash(new double[]{raw[i] - h}, eps)[0]) / (2 * h);
            assertEquals(numeric, d[i], 1e-9);
        }
        assertEquals(0.8807970779778823, Trigger.squash(new double[]{1}, 0)[0], 1e-15, "BackdoorBench's start: tanh(1)/2 + 0.5");
    }

    @Test
    void stamping_blends_pattern_into_images_by_the_mask_per_channel() {
        // 2 channels of 1x2; mask [1, 0.25]; pattern channel 0 = [0.2, 1], channel 1 = [0, 0.6]
        Trigger t = new Trigger(2, 1, 2, new double[]{1, 0.25}, new double[]{0.2, 1, 0, 0.6});
        INDArray x = Nd4j.create(new double[]{0.5, 0.4, 0.9, 0.8}, new long[]{1, 2, 1, 2}, 'c').castTo(DataType.FLOAT);
        INDArray stamped = t.stamp(x);
        assertEquals(DataType.FLOAT, stamped.dataType());
        assertArrayEquals(new double[]{0.2, 0.4 + 0.25 * 0.6, 0.0, 0.8 + 0.25 * (0.6 - 0.8)},
                stamped.data().asDouble(), 1e-7);
        assertEquals(1.25, t.norm(true), 0);
        assertEquals(Math.sqrt(1.0625), t.norm(false), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new Trigger(1, 2, 2, new double[3], new double[4]));
    }

    @Test
    void adam_follows_pytorch_with_bias_correction() {
        Adam adam = new Adam(2, 0.1, 0.5, 0.9, 1e-8);
        double[] x = {1, 1};
        adam.step(x, new double[]{2, -0.5});
        // t=1: m/c1 = g, sqrt(v/c2) = |g| -> x -= 0.1 sign(g) (up to eps)
        assertArrayEquals(new double[]{0.9, 1.1}, x, 1e-8);
        adam.step(x, new double[]{1, 0.5});
        // element 0: m = 0.5*1 + 0.5*1 = 1, v = 0.9*0.4 + 0.1*1 = 0.46; element 1: m = 0.5*(-0.25) + 0.5*0.5 = 0.125,
        // v = 0.9*0.025 + 0.1*0.25 = 0.0475; corrections 1 - 0.5^2 = 0.75 and 1 - 0.9^2 = 0.19
        double x0 = 1 - 0.1 * 2 / (2 + 1e-8);
        double x1 = 1 + 0.1 * 0.5 / (0.5 + 1e-8);
        assertEquals(x0 - 0.1 * (1 / 0.75) / (Math.sqrt(0.46 / 0.19) + 1e-8), x[0], 1e-15);
        assertEquals(x1 - 0.1 * (0.125 / 0.75) / (Math.sqrt(0.0475 / 0.19) + 1e-8), x[1], 1e-15);
    }
}
