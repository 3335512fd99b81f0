package io.purifier.engine.tensor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct oneDNN convolutions against libnd4j's {@code conv2d}/{@code conv2d_bp} computed in DOUBLE (libnd4j's own
 * kernels, no oneDNN): forward, input gradient, weight and bias gradients over geometries with stride, padding that
 * leaves a remainder on the far side, dilation, a 1-channel input and a strided 1x1 shortcut.
 */
class OneDnnConvTest {

    @BeforeEach
    @AfterEach
    void dropPrimitives() {
        OneDnnPrimitive.clear();
    }

    /** n, c, h, w, o, kernel, stride, padding, dilation. */
    static Stream<int[]> geometries() {
        return Stream.of(
                new int[]{2, 1, 5, 5, 3, 3, 1, 1, 1},
                new int[]{3, 4, 7, 6, 5, 3, 2, 1, 1},
                new int[]{2, 8, 9, 9, 16, 1, 2, 0, 1},
                new int[]{2, 3, 8, 8, 4, 3, 1, 2, 2},
                new int[]{4, 16, 6, 6, 8, 5, 1, 2, 1},
                new int[]{5, 8, 28, 28, 8, 3, 1, 1, 1});
    }

    @Test
    void onednn_is_loaded_where_the_product_runs() {
        // linux-x86_64 with the dnnl jars on the class path, as in the distribution: a silent fall-back would hide a
        // packaging break behind a 20 % slower engine
        assertTrue(OneDnn.available(), "oneDNN did not load");
        assertTrue(OneDnnConv.accepts(Nd4j.rand(DataType.FLOAT, 2, 3)));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void every_gradient_matches_libnd4j_in_double(int[] g) {
        int n = g[0], c = g[1], h = g[2], w = g[3], o = g[4], k = g[5], s = g[6], p = g[7], d = g[8];
        NativeOps.Conv conv = new NativeOps.Conv(k, k, s, s, p, p, d, d);
        int oh = NativeOps.Conv.outSize(h, k, s, p, d);
        int ow = NativeOps.Conv.outSize(w, k, s, p, d);
        Nd4j.getRandom().setSeed(g[1] * 31L + g[2]);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, c, h, w).subi(0.5);
        INDArray wt = Nd4j.rand(DataType.FLOAT, o, c, k, k).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, o).subi(0.5);
        INDArray gy = Nd4j.rand(DataType.FLOAT, n, o, oh, ow).subi(0.5);

        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, n, o, oh, ow);
        INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, n, c, h, w);
        INDArray gw = Nd4j.createUninitialized(DataType.FLOAT, o, c, k, k);
        INDArray gb = Nd4j.createUninitialized(DataType.FLOAT, o);
        OneDnnConv.forward(x, wt, b, y, conv);
        OneDnnConv.backwardData(gy, wt, gx, conv);
        OneDnnConv.backwardWeights(x, gy, gw, gb, conv);

        INDArray xd = x.castTo(DataType.DOUBLE);
        INDArray wd = wt.castTo(DataType.DOUBLE);
        INDArray bd = b.castTo(DataType.DOUBLE);
        INDArray yRef = Nd4j.create(DataType.DOUBLE, n, o, oh, ow);
        INDArray gxRef = Nd4j.create(DataType.DOUBLE, n, c, h, w);
        INDArray gwRef = Nd4j.create(DataType.DOUBLE, o, c, k, k);
        INDArray gbRef = Nd4j.create(DataType.DOUBLE, o);
        int[] args = {k, k, s, s, p, p, d, d, 0, 0, 1};
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(xd, wd, bd).addOutputs(yRef).addIntegerArguments(args)
                .build());
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(xd, wd, bd, gy.castTo(DataType.DOUBLE))
                .addOutputs(gxRef, gwRef, gbRef).addIntegerArguments(args).build());

        assertClose(yRef, y, "forward");
        assertClose(gxRef, gx, "input gradient");
        assertClose(gwRef, gw, "weight gradient");
        assertClose(gbRef, gb, "bias gradient");
    }

    @Test
    void native_ops_route_dense_float_calls_here_and_the_rest_to_libnd4j() {
        NativeOps.Conv conv = new NativeOps.Conv(3, 3, 1, 1, 1, 1, 1, 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 6, 8, 8).subi(0.5);
        INDArray wt = Nd4j.rand(DataType.FLOAT, 5, 6, 3, 3).subi(0.5);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, 4, 5, 8, 8);
        NativeOps.conv2d(x, wt, null, y, conv);
        assertEquals(1, OneDnnPrimitive.cached(), "the dense FLOAT call went to oneDNN");

        // a channel slice (as a grouped convolution makes) is a view: libnd4j computes it
        INDArray view = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3), NDArrayIndex.all(), NDArrayIndex.all());
        assertFalse(OneDnnConv.accepts(view));
        INDArray wv = Nd4j.rand(DataType.FLOAT, 5, 3, 3, 3).subi(0.5);
        INDArray yv = Nd4j.createUninitialized(DataType.FLOAT, 4, 5, 8, 8);
        NativeOps.conv2d(view, wv, null, yv, conv);
        assertEquals(1, OneDnnPrimitive.cached());
        INDArray yDense = Nd4j.createUninitialized(DataType.FLOAT, 4, 5, 8, 8);
        NativeOps.conv2d(view.dup('c'), wv, null, yDense, conv);
        assertClose(yDense.castTo(DataType.DOUBLE), yv, "the view's convolution");

        assertFalse(OneDnnConv.accepts(x.castTo(DataType.DOUBLE)), "DOUBLE (gradient checks) stays on libnd4j");
    }

    @Test
    void the_cache_reuses_a_shape_s_primitive_and_evicts_beyond_its_capacity() {
        NativeOps.Conv conv = new NativeOps.Conv(1, 1, 1, 1, 0, 0, 1, 1);
        INDArray wt = Nd4j.createFromArray(new float[]{2f, -1f}).reshape(1, 2, 1, 1);
        for (int round = 0; round < 2; round++) {
            for (int n = 1; n <= OneDnnPrimitive.CAPACITY + 3; n++) {
                INDArray x = Nd4j.ones(DataType.FLOAT, n, 2, 2, 2);
                x.get(NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all()).assign(3);
                INDArray y = Nd4j.createUninitialized(DataType.FLOAT, n, 1, 2, 2);
                OneDnnConv.forward(x, wt, null, y, conv);
                float[] expected = new float[n * 4];
                java.util.Arrays.fill(expected, 2f - 3f);
                assertArrayEquals(expected, y.data().asFloat(), "batch " + n + ", round " + round);
            }
            assertEquals(OneDnnPrimitive.CAPACITY, OneDnnPrimitive.cached());
        }
        INDArray x = Nd4j.ones(DataType.FLOAT, OneDnnPrimitive.CAPACITY + 3, 2, 2, 2);
        OneDnnConv.forward(x, wt, null, Nd4j.createUninitialized(DataType.FLOAT, OneDnnPrimitive.CAPACITY + 3, 1, 2, 2),
                conv);
        assertEquals(OneDnnPrimitive.CAPACITY, OneDnnPrimitive.cached(), "a cached shape adds nothing");
    }

    @Test
    void a_geometry_onednn_refuses_is_remembered_and_left_to_libnd4j() {
        // a 5x5 kernel on a 3x3 input without padding: oneDNN cannot build it (the layers refuse such shapes before)
        NativeOps.Conv tooBig = new NativeOps.Conv(5, 5, 1, 1, 0, 0, 1, 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 2, 3, 3);
        INDArray wt = Nd4j.rand(DataType.FLOAT, 2, 2, 5, 5);
        assertTrue(OneDnnConv.accepts(x, wt), "the arrays themselves qualify");
        assertFalse(OneDnnConv.forwardBuilt(x, wt, false, tooBig));
        assertFalse(OneDnnConv.backwardBuilt(x, wt, true, tooBig));
        assertEquals(0, OneDnnPrimitive.cached());

        int[] builds = {0};
        java.util.function.Supplier<OneDnnPrimitive> refusing = () -> {
            builds[0]++;
            throw new IllegalStateException("oneDNN failed describing a test primitive: unimplemented");
        };
        assertFalse(OneDnnPrimitive.prepare("refused", refusing));
        assertFalse(OneDnnPrimitive.prepare("refused", refusing));
        assertEquals(1, builds[0], "a refusal is remembered, not retried on every call");

        NativeOps.Conv fine = new NativeOps.Conv(3, 3, 1, 1, 1, 1, 1, 1);
        assertTrue(OneDnnConv.forwardBuilt(x, wt.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, 3), NDArrayIndex.interval(0, 3)).dup('c'), false, fine));
        assertEquals(1, OneDnnPrimitive.cached(), "a geometry it supports is built and cached");
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-5 * scale, what + ": largest difference " + diff + " at scale " + scale);
    }
}
