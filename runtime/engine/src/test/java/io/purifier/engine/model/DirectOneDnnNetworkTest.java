package io.purifier.engine.model;

import io.purifier.engine.TestModels;
import io.purifier.engine.nn.ForwardPass;
import io.purifier.engine.nn.Gradients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine with oneDNN called directly (the default) against the same network on libnd4j's operations
 * ({@code -Dpurifier.engine.onednn=false}): logits, every parameter gradient and the input gradient of a
 * training-mode pass, and the logits of an evaluation pass, agree to float rounding.
 */
class DirectOneDnnNetworkTest {

    private static final String PROPERTY = "purifier.engine.onednn";

    @AfterEach
    void restore() {
        System.clearProperty(PROPERTY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"preact-resnet18", "small-cnn", "vgg-small"})
    void the_direct_path_computes_what_libnd4j_computes(String architecture) {
        Map<String, ?> params = architecture.equals("preact-resnet18") ? Map.of("widthMultiplier", 0.125) : Map.of();
        EngineModel model = TestModels.create(architecture, params, TestModels.spec(1, 28, 10), 5);
        INDArray images = TestModels.randomImages(9, 6, 1, 28, 28);

        System.setProperty(PROPERTY, "false");
        Map<String, INDArray> reference = pass(model.copy(), images);
        System.setProperty(PROPERTY, "true");
        Map<String, INDArray> direct = pass(model.copy(), images);

        assertEquals(reference.keySet(), direct.keySet());
        assertTrue(reference.size() > 10, "logits, input and parameter gradients compared");
        for (String k : reference.keySet()) {
            INDArray e = reference.get(k);
            INDArray a = direct.get(k);
            double scale = Math.max(1e-3, e.amaxNumber().doubleValue());
            double diff = e.sub(a).amaxNumber().doubleValue();
            assertTrue(diff <= 2e-4 * scale, k + ": largest difference " + diff + " at scale " + scale);
        }
    }

    /** Train-mode logits and gradients of the mean logit of class 0, and the evaluation-mode logits. */
    private static Map<String, INDArray> pass(EngineModel model, INDArray images) {
        Map<String, INDArray> out = new HashMap<>();
        try (ForwardPass pass = model.forward(images, BnMode.TRAIN, model.trainableRequest().withInput(), false)) {
            INDArray logits = pass.logits();
            out.put("logits (train)", logits.dup());
            INDArray seed = Nd4j.zeros(DataType.FLOAT, logits.shape());
            seed.getColumn(0).assign(1.0 / logits.size(0));
            try (Gradients g = pass.backward(seed)) {
                out.put("input gradient", g.input().dup());
                g.parameters().forEach((name, grad) -> out.put(name, grad.dup()));
            }
        }
        out.put("logits (eval)", model.logits(images).dup());
        return out;
    }
}
