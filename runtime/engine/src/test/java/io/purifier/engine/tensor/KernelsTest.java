package io.purifier.engine.tensor;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's Java kernels against hand-computed values. */
class KernelsTest {

    private static INDArray seq(DataType dt, long... shape) {
        return Nd4j.arange(0, Tensors.volume(shape)).castTo(dt).reshape('c', shape).dup('c');
    }

    @Test
    void a_buffer_over_a_row_view_reads_the_view_not_the_start_of_the_array() {
        INDArray base = seq(DataType.FLOAT, 10, 3);
        INDArray view = base.get(NDArrayIndex.interval(4, 7));
        Buf b = Buf.of(view);
        assertEquals(9, b.length());
        assertEquals(12.0, b.get(0), 0.0);
        assertEquals(20.0, b.get(8), 0.0);
        b.set(0, -1);
        assertEquals(-1.0, base.getDouble(4, 0), 0.0);
    }

    @Test
    void a_buffer_refuses_arrays_that_are_not_dense() {
        INDArray base = seq(DataType.FLOAT, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> Buf.of(base.transpose()));
        assertThrows(IllegalArgumentException.class, () -> Buf.of(Nd4j.zeros(DataType.INT32, 3)));
    }

    @Test
    void channel_moments_and_affine_map_match_hand_values() {
        // [N=2, C=2, S=2]: channel 0 holds 0,1,4,5; channel 1 holds 2,3,6,7
        Buf x = Buf.of(seq(DataType.DOUBLE, 2, 2, 2));
        double[] mean = new double[2];
        double[] var = new double[2];
        ChannelKernels.moments(x, 2, 2, 2, mean, var);
        assertArrayEquals(new double[]{2.5, 4.5}, mean, 1e-12);
        assertArrayEquals(new double[]{4.25, 4.25}, var, 1e-12);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, 2, 2);
        ChannelKernels.affine(x, Buf.of(y), 2, 2, 2, new double[]{2, -1}, new double[]{1, 0});
        assertArrayEquals(new double[]{1, 3, -2, -3, 9, 11, -6, -7}, y.data().asDouble(), 1e-12);
        assertArrayEquals(new double[]{10, 18}, ChannelKernels.sums(x, 2, 2, 2), 1e-12);
        assertArrayEquals(new double[]{0 + 1 + 16 + 25, 4 + 9 + 36 + 49}, ChannelKernels.dots(x, x, 2, 2, 2), 1e-12);
    }

    @Test
    void batch_norm_input_gradient_matches_finite_differences() {
        int n = 3;
        int c = 2;
        int s = 4;
        Random rng = new Random(5);
        double[] xs = new double[n * c * s];
        double[] gs = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = rng.nextGaussian();
            gs[i] = rng.nextGaussian();
        }
        double[] gamma = {1.5, -0.7};
        INDArray gx = Nd4j.zeros(DataType.DOUBLE, n, c, s);
        double[] mean = new double[c];
        double[] var = new double[c];
        Buf x = Buf.of(Nd4j.create(xs, new long[]{n, c, s}, DataType.DOUBLE));
        ChannelKernels.moments(x, n, c, s, mean, var);
        double[] inv = {1 / Math.sqrt(var[0] + 1e-5), 1 / Math.sqrt(var[1] + 1e-5)};
        double[] sumG = new double[c];
        double[] sumGX = new double[c];
        Buf g = Buf.of(Nd4j.create(gs, new long[]{n, c, s}, DataType.DOUBLE));
        ChannelKernels.normalizedDots(g, x, n, c, s, mean, inv, sumG, sumGX);
        ChannelKernels.batchNormTrainInputGradient(g, x, Buf.of(gx), n, c, s, mean, inv, gamma, sumG, sumGX);
        for (int i = 0; i < xs.length; i += 5) {
            double h = 1e-6;
            double[] up = xs.clone();
            up[i] += h;
            double[] down = xs.clone();
            down[i] -= h;
            double numeric = (bnLoss(up, gs, gamma, n, c, s) - bnLoss(down, gs, gamma, n, c, s)) / (2 * h);
            assertEquals(numeric, gx.data().asDouble()[i], 1e-6, "element " + i);
        }
    }

    /** {@code sum(g * BN_train(x))} computed directly. */
    private static double bnLoss(double[] xs, double[] gs, double[] gamma, int n, int c, int s) {
        double total = 0;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < s; k++) {
                    double v = xs[(i * c + ch) * s + k];
                    sum += v;
                    sq += v * v;
                }
            }
            double m = sum / (n * s);
            double var = sq / (n * s) - m * m;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < s; k++) {
                    int at = (i * c + ch) * s + k;
                    total += gs[at] * gamma[ch] * (xs[at] - m) / Math.sqrt(var + 1e-5);
                }
            }
        }
        return total;
    }

    @Test
    void relu_backward_passes_the_gradient_only_where_the_output_is_positive() {
        INDArray y = Nd4j.create(new double[]{0, 2, 1e-30, 0, 5}, new long[]{5}, DataType.DOUBLE);
        INDArray g = Nd4j.create(new double[]{1, 2, 3, 4, 5}, new long[]{5}, DataType.DOUBLE);
        INDArray gx = Nd4j.zeros(DataType.DOUBLE, 5);
        ElementKernels.reluBackward(Buf.of(y), Buf.of(g), Buf.of(gx));
        assertArrayEquals(new double[]{0, 2, 3, 0, 5}, gx.data().asDouble(), 0.0);
        INDArray r = Nd4j.zeros(DataType.DOUBLE, 5);
        ElementKernels.relu(Buf.of(Nd4j.create(new double[]{-1, 0, 2, -3, 4}, new long[]{5}, DataType.DOUBLE)), Buf.of(r));
        assertArrayEquals(new double[]{0, 0, 2, 0, 4}, r.data().asDouble(), 0.0);
    }

    @Test
    void padded_max_pooling_ignores_the_padding_and_routes_gradients_to_the_maximum() {
        // one 3x3 plane, 2x2 windows, stride 2, padding 1 -> 2x2 output; windows cover (-1..0)x(-1..0) etc.
        INDArray x = Nd4j.create(new double[]{-5, -1, -2, -3, -9, -4, -6, -7, -8}, new long[]{1, 1, 3, 3}, DataType.DOUBLE);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 1, 1, 2, 2);
        int[] argmax = new int[4];
        PoolKernels.Geometry geo = new PoolKernels.Geometry(1, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1);
        PoolKernels.maxForward(Buf.of(x), Buf.of(y), argmax, geo);
        assertArrayEquals(new double[]{-5, -1, -3, -4}, y.data().asDouble(), 0.0, "negative inputs beat no padding zeros");
        assertArrayEquals(new int[]{0, 1, 3, 5}, argmax);
        INDArray gx = Nd4j.zeros(DataType.DOUBLE, 1, 1, 3, 3);
        PoolKernels.maxBackward(Buf.of(Nd4j.create(new double[]{1, 2, 3, 4}, new long[]{1, 1, 2, 2}, DataType.DOUBLE)),
                Buf.of(gx), argmax, geo);
        assertArrayEquals(new double[]{1, 2, 0, 3, 0, 4, 0, 0, 0}, gx.data().asDouble(), 0.0);
    }

    @Test
    void average_pooling_divides_by_the_window_or_by_the_inside_positions() {
        INDArray x = seq(DataType.DOUBLE, 1, 1, 2, 2);
        PoolKernels.Geometry geo = new PoolKernels.Geometry(1, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1);
        INDArray counted = Nd4j.zeros(DataType.DOUBLE, 1, 1, 2, 2);
        PoolKernels.avgForward(Buf.of(x), Buf.of(counted), geo, true);
        assertArrayEquals(new double[]{0 / 4.0, 1 / 4.0, 2 / 4.0, 6 / 4.0}, counted.data().asDouble(), 1e-12);
        INDArray inside = Nd4j.zeros(DataType.DOUBLE, 1, 1, 2, 2);
        PoolKernels.avgForward(Buf.of(x), Buf.of(inside), geo, false);
        assertArrayEquals(new double[]{0, 0.5, 1, 1.5}, inside.data().asDouble(), 1e-12);
    }

    @Test
    void im2col_unfolds_with_zero_padding() {
        // 1 image, 1 channel, 2x2 input, 2x2 kernel, stride 1, padding 0 -> 1 output position, 4 rows
        INDArray x = seq(DataType.DOUBLE, 1, 1, 2, 2);
        INDArray cols = Nd4j.zeros(DataType.DOUBLE, 4, 1);
        ConvKernels.im2col(Buf.of(x), Buf.of(cols), 1, 1, 2, 2, 2, 2, 1, 1, 0, 0, 1, 1, 1, 1);
        assertArrayEquals(new double[]{0, 1, 2, 3}, cols.data().asDouble(), 0.0);
        // padding 1 with a 1x1 kernel, stride 2: output 2x2 reads (-1,-1), (-1,1), (1,-1), (1,1)
        INDArray padded = Nd4j.zeros(DataType.DOUBLE, 1, 4);
        ConvKernels.im2col(Buf.of(x), Buf.of(padded), 1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 1, 1, 2, 2);
        assertArrayEquals(new double[]{0, 0, 0, 3}, padded.data().asDouble(), 0.0);
    }

    @Test
    void flip_transpose_and_strided_scatter_place_values_where_expected() {
        INDArray w = seq(DataType.DOUBLE, 1, 2, 2, 2);
        INDArray out = Nd4j.zeros(DataType.DOUBLE, 2, 1, 2, 2);
        ConvKernels.flipTranspose(Buf.of(w), Buf.of(out), 1, 2, 2, 2);
        assertArrayEquals(new double[]{3, 2, 1, 0, 7, 6, 5, 4}, out.data().asDouble(), 0.0);
        INDArray d = Nd4j.create(new double[]{1, 2, 3, 4}, new long[]{1, 1, 4}, DataType.DOUBLE);
        INDArray dx = Nd4j.ones(DataType.DOUBLE, 1, 1, 3, 3);
        ConvKernels.scatterStrided(Buf.of(d), Buf.of(dx), 1, 1, 3, 3, 2, 2, 2, 2);
        assertArrayEquals(new double[]{1, 0, 2, 0, 0, 0, 3, 0, 4}, dx.data().asDouble(), 0.0);
    }

    @Test
    void the_pool_reuses_released_arrays_and_closes_what_exceeds_its_cap() {
        BufferPool pool = new BufferPool(4 * 100);
        INDArray a = pool.take(DataType.FLOAT, 10, 10);
        pool.release(a);
        assertSame(a, pool.take(DataType.FLOAT, 10, 10), "same shape reuses the array");
        assertNotSame(a, pool.take(DataType.FLOAT, 10, 10), "a taken array is not handed out twice");
        INDArray big = pool.take(DataType.FLOAT, 20, 10);
        pool.release(big);
        assertTrue(big.wasClosed(), "an array over the cap is freed at once");
        assertEquals(0, pool.freeBytes());
        pool.release(a);
        assertEquals(400, pool.freeBytes());
        pool.clear();
        assertTrue(a.wasClosed());
    }
}
