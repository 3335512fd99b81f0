package io.purifier.engine.tensor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** oneDNN's ReLU gradient and sum against libnd4j's operations and the Java kernels, bit for bit. */
class OneDnnEltwiseTest {

    @BeforeEach
    @AfterEach
    void dropPrimitives() {
        OneDnnPrimitive.clear();
    }

    /** Random values with the awkward ones mixed in: signed zeros, infinities, NaN, the smallest subnormal. */
    private static INDArray awkward(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        INDArray a = Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
        float[] special = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE,
                -Float.MIN_VALUE};
        for (int i = 0; i < special.length; i++) {
            a.data().put(i * 7L, special[i]);
        }
        return a;
    }

    @Test
    void onednn_s_own_relu_is_not_used_because_it_loses_nan() {
        // why NativeOps.relu stays libnd4j's: its NaN and -0 survive, as in PyTorch
        INDArray x = Nd4j.createFromArray(new float[]{Float.NaN, -0f, -2f, 3f});
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, 4);
        NativeOps.relu(x, y);
        assertTrue(Float.isNaN(y.getFloat(0)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(y.getFloat(1)));
        assertEquals(0f, y.getFloat(2));
        assertEquals(3f, y.getFloat(3));
    }

    @Test
    void relu_gradient_equals_the_java_kernel_bit_for_bit_also_in_place() {
        INDArray y = awkward(5, 32, 16, 7, 7);
        NativeOps.relu(y, y);
        INDArray g = awkward(6, 32, 16, 7, 7);
        INDArray expected = Nd4j.createUninitialized(DataType.FLOAT, y.shape());
        ElementKernels.reluBackwardGeneric(Buf.of(y), Buf.of(g), Buf.of(expected));
        INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, y.shape());
        OneDnnEltwise.reluBackward(y, g, gx);
        assertBits(expected, gx);

        INDArray inPlace = g.dup();
        OneDnnEltwise.reluBackward(y, inPlace, inPlace);
        assertBits(expected, inPlace);
    }

    @Test
    void the_sum_equals_libnd4j_s_bit_for_bit_and_one_primitive_serves_every_shape_of_a_length() {
        INDArray a = awkward(7, 16, 8, 6, 6);
        INDArray b = awkward(8, 16, 8, 6, 6);
        INDArray expected = a.add(b);
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, a.shape());
        OneDnnEltwise.add(a, b, out);
        assertBits(expected, out);
        OneDnnEltwise.add(a.reshape(16, 288), b.reshape(16, 288), out.reshape(16, 288));
        assertBits(expected, out);
        assertEquals(1, OneDnnPrimitive.cached(), "a flat primitive per length");
        OneDnnEltwise.add(a, b, a);
        assertBits(expected, a);
    }

    @Test
    void a_reordering_primitive_s_copies_live_in_one_shared_arena_that_clear_releases() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 8, 28, 28);
        INDArray w = Nd4j.rand(DataType.FLOAT, 8, 8, 3, 3);
        OneDnnConv.forward(x, w, null, Nd4j.createUninitialized(DataType.FLOAT, 16, 8, 28, 28),
                new NativeOps.Conv(3, 3, 1, 1, 1, 1, 1, 1));
        long held = OneDnn.Arena.capacity();
        assertTrue(held > 0, "this convolution's primitive wants blocked weights at least");
        OneDnnConv.forward(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 8)).dup(), w, null,
                Nd4j.createUninitialized(DataType.FLOAT, 8, 8, 28, 28), new NativeOps.Conv(3, 3, 1, 1, 1, 1, 1, 1));
        assertEquals(held, OneDnn.Arena.capacity(), "a smaller primitive reuses the arena");
        OneDnnPrimitive.clear();
        assertEquals(0, OneDnn.Arena.capacity());
    }

    private static void assertBits(INDArray expected, INDArray actual) {
        float[] e = expected.data().asFloat();
        float[] a = actual.data().asFloat();
        assertEquals(e.length, a.length);
        int[] eb = new int[e.length];
        int[] ab = new int[a.length];
        for (int i = 0; i < e.length; i++) {
            eb[i] = Float.floatToRawIntBits(e[i]);
            ab[i] = Float.floatToRawIntBits(a[i]);
        }
        assertArrayEquals(eb, ab);
    }
}
