package io.purifier.engine.model;

import io.purifier.engine.TestModels;
import io.purifier.engine.eval.Evaluator;
import org.junit.jupiter.api.Test;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
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
 * 1.0.0-M2.1: outputs after a gradient call, logits returned by a gradient call, and arrays reused between passes.
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
        try (LossPass p = LossPass.run(trained, batch, BnMode.TRAIN, trained.trainableRequest(),
                Objective.crossEntropy(TestModels.randomLabels(4, 128, 10)))) {
            assertFalse(p.parameterGradients().isEmpty(), "the pass computed gradients");
        }
        double err = relativeError(trained.logits(probe), fresh.logits(probe));
        assertTrue(err < 1e-5, "logits after a gradient call differ from a fresh model's by " + err);
    }

    @Test
    void logits_returned_by_gradient_calls_read_back_as_the_forward_pass() {
        EngineModel m = cnn();
        for (int step = 0; step < 3; step++) {
            INDArray x = TestModels.randomImages(10 + step, 64, 1, 28, 28);
            int[] labels = TestModels.randomLabels(20 + step, 64, 10);
            int[] expected = Evaluator.argMax(m.activations(x, BnMode.TRAIN, GraphNames.LOGITS).get(GraphNames.LOGITS));
            try (LossPass p = LossPass.run(m, x, BnMode.TRAIN, m.trainableRequest(), Objective.crossEntropy(labels), false)) {
                assertArrayEquals(expected, Evaluator.argMax(p.logits()), "step " + step + ": arg-max of the returned logits");
            }
        }
    }

    @Test
    void pooled_arrays_are_not_shared_between_live_passes() {
        EngineModel m = cnn();
        INDArray a = TestModels.randomImages(30, 16, 1, 28, 28);
        INDArray b = TestModels.randomImages(31, 16, 1, 28, 28);
        INDArray expectedA = m.logits(a);
        try (var pa = m.forward(a, BnMode.EVAL, io.purifier.engine.nn.GradientRequest.NONE);
             var pb = m.forward(b, BnMode.EVAL, io.purifier.engine.nn.GradientRequest.NONE)) {
            assertTrue(relativeError(pa.logits(), expectedA) < 1e-6, "a second live pass overwrote the first");
            assertTrue(relativeError(pb.logits(), m.logits(b)) < 1e-6);
        }
    }
}
