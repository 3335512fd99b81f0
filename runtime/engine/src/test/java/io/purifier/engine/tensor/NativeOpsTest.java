package io.purifier.engine.tensor;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Max pooling by libnd4j's own kernel ({@link NativeOps#withoutHelpers}) against hand values and the oneDNN helper. */
class NativeOpsTest {

    @Test
    void max_pooling_picks_each_window_s_maximum_and_routes_its_gradient_there() {
        INDArray x = Nd4j.createFromArray(new float[]{1, 5, 2, 0, 3, 4, 8, 7, 0, 0, 9, 6, -1, -2, 6, 9}).reshape(1, 1, 4, 4);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, 1, 1, 2, 2);
        NativeOps.maxPool2d(x, y, 2, 2, 2, 2);
        assertArrayEquals(new float[]{5, 8, 0, 9}, y.data().asFloat());
        INDArray gy = Nd4j.createFromArray(new float[]{10, 20, 30, 40}).reshape(1, 1, 2, 2);
        INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, 1, 1, 4, 4);
        NativeOps.maxPool2dBackward(x, gy, gx, 2, 2, 2, 2);
        assertEquals(10f, gx.getFloat(0, 0, 0, 1));
        assertEquals(20f, gx.getFloat(0, 0, 1, 2));
        assertEquals(40f, gx.getFloat(0, 0, 2, 2) + gx.getFloat(0, 0, 3, 3), "the tied 9s share nothing twice");
        assertEquals(100f, gx.sumNumber().floatValue(), "every output gradient lands exactly once");
    }

    @Test
    void without_helpers_equals_the_onednn_helper_bit_for_bit_and_leaves_the_global_setting_alone() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 6, 12, 12).subi(0.5);
        NativeOps.relu(x, x); // windows of zeros: ties, as after a ReLU
        INDArray gy = Nd4j.rand(DataType.FLOAT, 8, 6, 6, 6);
        int[] args = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 0};
        INDArray yHelper = Nd4j.createUninitialized(DataType.FLOAT, 8, 6, 6, 6);
        INDArray gxHelper = Nd4j.createUninitialized(DataType.FLOAT, 8, 6, 12, 12);
        Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(x).addOutputs(yHelper).addIntegerArguments(args).build());
        Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(x, gy).addOutputs(gxHelper).addIntegerArguments(args).build());

        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, 8, 6, 6, 6);
        INDArray gx = Nd4j.createUninitialized(DataType.FLOAT, 8, 6, 12, 12);
        NativeOps.maxPool2d(x, y, 2, 2, 2, 2);
        NativeOps.maxPool2dBackward(x, gy, gx, 2, 2, 2, 2);
        assertArrayEquals(yHelper.data().asFloat(), y.data().asFloat());
        assertArrayEquals(gxHelper.data().asFloat(), gx.data().asFloat());
        assertTrue(Nd4j.getEnvironment().helpersAllowed(), "convolutions keep their oneDNN helper");
    }
}
