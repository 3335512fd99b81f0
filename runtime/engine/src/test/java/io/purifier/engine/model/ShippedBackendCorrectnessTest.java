package io.purifier.engine.model;

import io.purifier.engine.TestModels;
import io.purifier.engine.eval.Evaluator;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guards the native backend that ships (oneDNN helpers included) against the failure modes measured on ND4J
 * 1.0.0-M2.1: outputs after a gradient call, logits returned by a gradient call, and the fused dense op.
 */
class ShippedBackendCorrectnessTest {

    private static final Map<String, Object> CNN = Map.of("width", 8, "hidden", 32);

    private static EngineModel cnn() {
        return TestModels.create("small-cnn", CNN, TestModels.spec(1, 28, 10), 1);
    }

    private static double relativeError(INDArray got, INDArray expected) {
        return got.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
    }

    @Test
    void inference_after_a_gradient_call_matches_a_fresh_model() {
        EngineModel trained = cnn();
        EngineModel fresh = cnn();
        INDArray batch = TestModels.randomImages(2, 128, 1, 28, 28);
        INDArray probe = TestModels.randomImages(3, 256, 1, 28, 28);
        String loss = trained.crossEntropyLoss();
        trained.outputAndGradients(batch, BnMode.TRAIN,
                Map.of(GraphNames.LABELS, trained.oneHot(TestModels.randomLabels(4, 128, 10))), loss, List.of(),
                trained.trainableParameterNames());
        double err = relativeError(trained.logits(probe), fresh.logits(probe));
        assertTrue(err < 1e-5, "logits after a gradient call differ from a fresh model's by " + err);
    }

    @Test
    void logits_returned_by_gradient_calls_read_back_as_the_forward_pass() {
        EngineModel m = cnn();
        String loss = m.crossEntropyLoss();
        for (int step = 0; step < 3; step++) {
            INDArray x = TestModels.randomImages(10 + step, 64, 1, 28, 28);
            Map<String, INDArray> feeds = Map.of(GraphNames.LABELS, m.oneHot(TestModels.randomLabels(20 + step, 64, 10)));
            int[] expected = Evaluator.argMax(m.output(x, BnMode.TRAIN, feeds, GraphNames.LOGITS).get(GraphNames.LOGITS));
            INDArray returned = m.outputAndGradients(x, BnMode.TRAIN, feeds, loss, List.of(loss, GraphNames.LOGITS),
                    m.trainableParameterNames()).getOutputs().get(GraphNames.LOGITS);
            assertArrayEquals(expected, Evaluator.argMax(returned), "step " + step + ": arg-max of the returned logits");
        }
    }

    @Test
    void dense_layers_are_built_without_the_fused_op() {
        assertFalse(XwPlusBHelperGuard.needed(cnn().graph()), "small-cnn still uses " + XwPlusBHelperGuard.OP);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        sd.nn().linear("y", x, sd.var("w", Nd4j.ones(DataType.FLOAT, 3, 2)), sd.var("b", Nd4j.zeros(DataType.FLOAT, 2)));
        assertTrue(XwPlusBHelperGuard.needed(sd), "a graph with the fused op needs the guard");
    }
}
