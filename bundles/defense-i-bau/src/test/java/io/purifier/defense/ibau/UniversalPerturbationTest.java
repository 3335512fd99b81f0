package io.purifier.defense.ibau;

import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import io.purifier.engine.TestModels;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.LocalRunContext;
import io.purifier.engine.train.Minibatches;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UniversalPerturbationTest {

    private static final double[][] W = {{0.8, -0.4}, {0.3, 0.5}};
    private static final double[] B = {0.1, -0.2};

    @Test
    void one_batch_ascends_the_cross_entropy_of_the_models_own_labels() {
        // x1 = (1, 0.5): z = (0.85, -0.35), own label 0; x2 = (-0.5, 2): z = (0.3, 1.0), own label 1
        double[][] x = {{1.0, 0.5}, {-0.5, 2.0}};
        EngineModel m = TestModels.linear(W, B);
        ImageSet set = new ImageSet(TestModels.rows(x).castTo(DataType.FLOAT), new int[]{1, 1}, List.of("c0", "c1"));
        PerturbationSpace space = new PerturbationSpace(Normalization.identity(1), 1, 1, 2);
        INDArray delta = UniversalPerturbation.search(m, space, Minibatches.inOrder(set, 2), 10, 0.001, 0,
                LocalRunContext.quiet(1));
        double[] g = new double[2];
        int[] own = {0, 1};
        for (int i = 0; i < 2; i++) {
            double z0 = x[i][0] * W[0][0] + x[i][1] * W[1][0] + B[0];
            double z1 = x[i][0] * W[0][1] + x[i][1] * W[1][1] + B[1];
            double p0 = 1 / (1 + Math.exp(z1 - z0));
            double[] err = {p0 - (own[i] == 0 ? 1 : 0), (1 - p0) - (own[i] == 1 ? 1 : 0)};
            for (int f = 0; f < 2; f++) {
                g[f] += (W[f][0] * err[0] + W[f][1] * err[1]) / 2;
            }
        }
        // from delta = 0: delta - 10 (-g + 0.002 * 0) = 10 g
        assertEquals(10 * g[0], delta.getDouble(0, 0, 0, 0), 1e-5);
        assertEquals(10 * g[1], delta.getDouble(0, 0, 0, 1), 1e-5);
    }

    @Test
    void the_optional_bound_scales_into_the_l2_ball() {
        INDArray d = Nd4j.create(new double[]{3, 4}, new long[]{1, 1, 1, 2}, DataType.DOUBLE);
        assertEquals(d, UniversalPerturbation.bound(d, 0));
        assertEquals(d, UniversalPerturbation.bound(d, 5));
        INDArray scaled = UniversalPerturbation.bound(d, 1);
        assertEquals(0.6, scaled.getDouble(0, 0, 0, 0), 1e-12);
        assertEquals(0.8, scaled.getDouble(0, 0, 0, 1), 1e-12);
    }
}
