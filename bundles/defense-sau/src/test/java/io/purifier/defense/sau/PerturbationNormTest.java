package io.purifier.defense.sau;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PerturbationNormTest {

    private static INDArray two() {
        return Nd4j.create(new float[]{0.3f, -0.4f, 0.05f, 0.0f}, new long[]{2, 1, 1, 2}, 'c');
    }

    @Test
    void l_inf_clamps_each_pixel() {
        INDArray p = PerturbationNorm.L_INF.project(two(), 0.2);
        assertArrayEquals(new float[]{0.2f, -0.2f, 0.05f, 0.0f}, p.data().asFloat(), 1e-7f);
    }

    @Test
    void l1_and_l2_scale_each_image_into_its_ball() {
        INDArray l2 = PerturbationNorm.L2.project(two(), 0.25);
        assertArrayEquals(new float[]{0.15f, -0.2f, 0.05f, 0.0f}, l2.data().asFloat(), 1e-7f);
        INDArray l1 = PerturbationNorm.L1.project(two(), 0.35);
        assertArrayEquals(new float[]{0.15f, -0.2f, 0.05f, 0.0f}, l1.data().asFloat(), 1e-7f);
        assertArrayEquals(two().data().asFloat(), PerturbationNorm.REG.project(two(), 0.01).data().asFloat(), 0);
    }

    @Test
    void starts_as_the_reference_initialises() {
        long[] shape = {2, 1, 1, 2};
        assertEquals(0.8, PerturbationNorm.L_INF.start("max", shape, 0.2, new Random(1)).sumNumber().doubleValue(), 1e-6);
        assertEquals(-0.8, PerturbationNorm.L_INF.start("min", shape, 0.2, new Random(1)).sumNumber().doubleValue(), 1e-6);
        assertEquals(0.0, PerturbationNorm.L_INF.start("zero", shape, 0.2, new Random(1)).sumNumber().doubleValue(), 0);
        INDArray random = PerturbationNorm.REG.start("random", shape, 0.2, new Random(1));
        for (float v : random.data().asFloat()) {
            assertEquals(true, v >= 0 && v < 1, "uniform in [0, 1): " + v);
        }
        assertEquals("unknown start 'one' (one of [zero, random, max, min])", assertThrows(IllegalArgumentException.class,
                () -> PerturbationNorm.L2.start("one", shape, 1, new Random(1))).getMessage());
        assertEquals(PerturbationNorm.L_INF, PerturbationNorm.fromId("L_inf"));
    }
}
