package io.purifier.defense.ibau;

import io.purifier.api.data.Normalization;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two channels with std 0.5 and 2 on 1x2 images: normalized units times std are pixels. */
class PerturbationSpaceTest {

    private final PerturbationSpace space = new PerturbationSpace(new Normalization(new double[]{0.3, 0.6},
            new double[]{0.5, 2.0}), 2, 1, 2);
    private final INDArray delta = Nd4j.create(new double[]{1, -1, 0.5, 2}, new long[]{1, 2, 1, 2}, DataType.DOUBLE);

    @Test
    void perturbs_the_chosen_rows_in_pixel_units() {
        INDArray images = Nd4j.zeros(DataType.FLOAT, 3, 2, 1, 2);
        INDArray out = space.perturb(images, delta, new boolean[]{true, false, true});
        assertEquals(DataType.FLOAT, out.dataType());
        assertEquals(0.5, out.getDouble(0, 0, 0, 0), 1e-7);
        assertEquals(-0.5, out.getDouble(2, 0, 0, 1), 1e-7);
        assertEquals(1.0, out.getDouble(0, 1, 0, 0), 1e-7);
        assertEquals(4.0, out.getDouble(2, 1, 0, 1), 1e-7);
        assertEquals(0.0, out.getDouble(1, 1, 0, 1), 0);
        assertEquals(0.0, images.sumNumber().doubleValue(), 0, "the input is not changed");
        assertEquals(4.0, space.perturb(images, delta, null).getDouble(1, 1, 0, 1), 1e-7);
    }

    @Test
    void pixel_gradients_become_delta_gradients_summed_over_the_rows() {
        INDArray g = Nd4j.create(new float[]{1, 2, 3, 4, 10, 20, 30, 40, 100, 200, 300, 400}, new long[]{3, 2, 1, 2}, 'c');
        INDArray d = space.deltaGradient(g, new boolean[]{true, false, true});
        assertEquals(0.5 * 101, d.getDouble(0, 0, 0, 0), 1e-9);
        assertEquals(0.5 * 202, d.getDouble(0, 0, 0, 1), 1e-9);
        assertEquals(2.0 * 303, d.getDouble(0, 1, 0, 0), 1e-9);
        assertEquals(2.0 * 444, space.deltaGradient(g, null).getDouble(0, 1, 0, 1), 1e-9);
    }
}
