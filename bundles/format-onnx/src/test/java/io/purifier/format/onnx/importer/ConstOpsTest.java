package io.purifier.format.onnx.importer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Constant folding as torch's shape arithmetic and F.pad need it. */
class ConstOpsTest {

    private static ConstValue matrix() {
        return ConstValue.of(new long[]{2, 3}, new double[]{1, 2, 3, 4, 5, 6}, true);
    }

    @Test
    void slice_with_a_negative_step_reverses_as_torch_pad_needs() {
        ConstValue pads = ConstValue.of(new long[]{4, 2}, new double[]{0, 0, 0, 0, 0, 2, 0, 2}, true);
        ConstValue reversed = ConstOps.slice(pads, new long[]{-1}, new long[]{Long.MIN_VALUE + 1}, new long[]{0},
                new long[]{-1});
        assertArrayEquals(new double[]{0, 2, 0, 2, 0, 0, 0, 0}, reversed.values());
        ConstValue middle = ConstOps.slice(matrix(), new long[]{1}, new long[]{Long.MAX_VALUE}, new long[]{1},
                new long[]{1});
        assertArrayEquals(new long[]{2, 2}, middle.dims());
        assertArrayEquals(new double[]{2, 3, 5, 6}, middle.values());
    }

    @Test
    void gather_transpose_concat_and_broadcast() {
        assertArrayEquals(new double[]{3, 6}, ConstOps.gather(matrix(), ConstValue.ofLongs(-1), 1).values());
        assertArrayEquals(new double[]{1, 4, 2, 5, 3, 6}, ConstOps.transpose(matrix(), new long[]{1, 0}).values());
        ConstValue joined = ConstOps.concat(List.of(ConstValue.ofLongs(7), ConstValue.ofLongs(-1)), 0);
        assertArrayEquals(new double[]{7, -1}, joined.values());
        ConstValue sum = ConstOps.broadcast(matrix(), ConstValue.ofLongs(10, 20, 30), Double::sum, true);
        assertArrayEquals(new double[]{11, 22, 33, 14, 25, 36}, sum.values());
    }

    @Test
    void the_symbolic_batch_survives_shape_arithmetic() {
        ConstValue shape = ConstValue.of(new long[]{2}, new double[]{ConstValue.BATCH, 8}, true);
        ConstValue batch = ConstOps.gather(shape, ConstValue.ofLongs(0), 0);
        assertTrue(Double.isNaN(batch.values()[0]));
        assertArrayEquals(new long[]{Long.MIN_VALUE, -1},
                ConstOps.concat(List.of(batch, ConstValue.ofLongs(-1)), 0).longs("shape"));
        assertArrayEquals(new long[]{3, 4}, ConstOps.reshapeTarget(new long[]{2, 6}, new long[]{3, -1}, false));
        assertArrayEquals(new long[]{2, 6}, ConstOps.reshapeTarget(new long[]{2, 6}, new long[]{0, -1}, false));
    }
}
