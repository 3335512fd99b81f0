package io.purifier.defense.clp;

import io.purifier.api.data.Normalization;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import io.purifier.engine.nn.layers.Conv2d;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The UCLC of hand-made 2-input 1x2 kernels, with and without a batch norm behind them, and the threshold rule. */
class ChannelLipschitzTest {

    /** conv (2 -> 2 channels, 1x2 kernels) [-> bn] -> global average pool -> dense. */
    static EngineModel twoChannelModel(boolean batchNorm) {
        GraphBuilder b = GraphBuilder.create("clp-test", Map.of(), 2, 3, 3, List.of("a", "b"),
                Normalization.identity(2), 1, DataType.DOUBLE);
        String x = b.node("conv", new Conv2d(2, 2, new int[]{1, 2}, new int[]{1, 1}, new int[]{0, 0}, new int[]{1, 1},
                true), true, Map.of(), b.input());
        if (batchNorm) {
            x = b.batchNorm("bn", x, 2);
        }
        EngineModel m = b.finish(b.dense("fc", b.flatten("flat", b.globalAvgPool("gap", x)), 2, 2));
        // channel 0: [[3, 0], [4, 5]] (sigma sqrt(45)); channel 1: the identity (sigma 1); layout [out, in, 1, 2]
        m.assign("conv/W", Nd4j.create(new double[]{3, 0, 4, 5, 1, 0, 0, 1}, new long[]{2, 2, 1, 2}, DataType.DOUBLE));
        if (batchNorm) {
            m.assign("bn/gamma", Nd4j.create(new double[]{-2, 0.5}, new long[]{2}, DataType.DOUBLE));
            m.assign("bn/var", Nd4j.create(new double[]{3, 0.25}, new long[]{2}, DataType.DOUBLE));
        }
        return m;
    }

    @Test
    void a_bare_convolution_channel_is_bounded_by_its_kernel_spectral_norm() {
        EngineModel m = twoChannelModel(false);
        ChannelUnits.Unit unit = ChannelUnits.of(m).units().get(0);
        assertArrayEquals(new double[]{Math.sqrt(45), 1}, ChannelLipschitz.of(m, unit), 1e-12);
    }

    @Test
    void a_following_batch_norm_scales_each_channel_by_its_absolute_gain() {
        EngineModel m = twoChannelModel(true);
        ChannelUnits.Unit unit = ChannelUnits.of(m).units().get(0);
        assertEquals("bn", unit.batchNorm());
        double eps = GraphBuilder.BN_EPS;
        assertArrayEquals(new double[]{Math.sqrt(45) * 2 / Math.sqrt(3 + eps), 0.5 / Math.sqrt(0.25 + eps)},
                ChannelLipschitz.of(m, unit), 1e-12);
    }

    @Test
    void prunes_strictly_above_mean_plus_u_sample_standard_deviations() {
        // [1, 1, 1, 1, 10]: mean 2.8, sample std sqrt(16.2) = 4.0249, so u = 1 cuts at 6.82 and u = 2 at 10.85
        double[] lips = {1, 1, 1, 1, 10};
        assertEquals(2.8 + Math.sqrt(16.2), ChannelLipschitz.threshold(lips, 1), 1e-12);
        assertArrayEquals(new boolean[]{false, false, false, false, true}, ChannelLipschitz.outliers(lips, 1));
        assertArrayEquals(new boolean[5], ChannelLipschitz.outliers(lips, 2));
        // [1, 3] with u = 0: the threshold is the mean 2, and 3 > 2
        assertArrayEquals(new boolean[]{false, true}, ChannelLipschitz.outliers(new double[]{1, 3}, 0));
        assertArrayEquals(new boolean[]{false, false}, ChannelLipschitz.outliers(new double[]{2, 2}, 0), "equal is kept");
        assertArrayEquals(new boolean[1], ChannelLipschitz.outliers(new double[]{5}, 0), "one channel has no spread");
    }
}
