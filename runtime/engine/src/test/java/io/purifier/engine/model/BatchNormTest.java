package io.purifier.engine.model;

import io.purifier.api.data.Normalization;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The batch-norm layer against a plain-Java reference, in both modes and with a pinned layer. */
class BatchNormTest {

    private static final int N = 4;
    private static final int C = 2;
    private static final int S = 3;

    private static EngineModel bnOnly() {
        GraphBuilder b = GraphBuilder.create("bn-test", Map.of(), C, S, S, List.of("a", "b"),
                Normalization.identity(C), 1, DataType.DOUBLE);
        String y = b.batchNorm("bn", b.input(), C);
        return b.finish(b.globalAvgPool("gap", y));
    }

    private static INDArray input() {
        double[] v = new double[N * C * S * S];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(0.7 * i) * 0.5 + 0.5;
        }
        return Nd4j.create(v, new long[]{N, C, S, S}, DataType.DOUBLE);
    }

    @Test
    void train_mode_normalizes_with_biased_batch_statistics() {
        EngineModel model = bnOnly();
        model.assign("bn/gamma", Nd4j.create(new double[]{2.0, 0.5}));
        model.assign("bn/beta", Nd4j.create(new double[]{0.1, -0.2}));
        model.assign("bn/mean", Nd4j.create(new double[]{9, 9}));
        INDArray x = input();
        INDArray y = model.activations(x, BnMode.TRAIN, "bn").get("bn");
        double[] gamma = {2.0, 0.5};
        double[] beta = {0.1, -0.2};
        for (int c = 0; c < C; c++) {
            double sum = 0;
            double sq = 0;
            int n = N * S * S;
            for (int i = 0; i < N; i++) {
                for (int p = 0; p < S * S; p++) {
                    double v = x.getDouble(i, c, p / S, p % S);
                    sum += v;
                    sq += v * v;
                }
            }
            double mean = sum / n;
            double var = sq / n - mean * mean;
            for (int i = 0; i < N; i++) {
                double v = x.getDouble(i, c, 1, 2);
                double expected = (v - mean) / Math.sqrt(var + GraphBuilder.BN_EPS) * gamma[c] + beta[c];
                assertEquals(expected, y.getDouble(i, c, 1, 2), 1e-12);
            }
        }
    }

    @Test
    void eval_mode_is_the_affine_map_of_the_running_statistics() {
        EngineModel model = bnOnly();
        model.assign("bn/gamma", Nd4j.create(new double[]{2.0, 0.5}));
        model.assign("bn/beta", Nd4j.create(new double[]{0.1, -0.2}));
        model.assign("bn/mean", Nd4j.create(new double[]{0.3, 0.6}));
        model.assign("bn/var", Nd4j.create(new double[]{4.0, 0.25}));
        INDArray x = input();
        INDArray y = model.activations(x, BnMode.EVAL, "bn").get("bn");
        double v = x.getDouble(2, 1, 0, 1);
        assertEquals((v - 0.6) / Math.sqrt(0.25 + GraphBuilder.BN_EPS) * 0.5 - 0.2, y.getDouble(2, 1, 0, 1), 1e-12);
        double w = x.getDouble(3, 0, 2, 2);
        assertEquals((w - 0.3) / Math.sqrt(4.0 + GraphBuilder.BN_EPS) * 2.0 + 0.1, y.getDouble(3, 0, 2, 2), 1e-12);
    }

    @Test
    void a_pinned_layer_uses_running_statistics_in_train_mode() {
        EngineModel model = bnOnly();
        model.assign("bn/mean", Nd4j.create(new double[]{0.3, 0.6}));
        model.pinBatchNormToRunningStats("bn", true);
        INDArray x = input();
        INDArray train = model.activations(x, BnMode.TRAIN, "bn").get("bn");
        INDArray eval = model.activations(x, BnMode.EVAL, "bn").get("bn");
        assertEquals(eval, train);
        model.pinBatchNormToRunningStats("bn", false);
        INDArray unpinned = model.activations(x, BnMode.TRAIN, "bn").get("bn");
        assertEquals(0.0, unpinned.mean(0, 2, 3).getDouble(0), 1e-12);
    }
}
