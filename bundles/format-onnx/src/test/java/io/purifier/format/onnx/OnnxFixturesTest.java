package io.purifier.format.onnx;

import io.purifier.api.data.Normalization;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.train.Objective;
import io.purifier.engine.train.Optimizer;
import io.purifier.engine.train.TrainStep;
import io.purifier.format.onnx.importer.OnnxImporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixtures written by {@code make_fixtures.py} with {@code torch.onnx.export} (a small CNN at opset 9, a VGG-style
 * net with batch norm at opset 11, PreAct-ResNet-18 at width 0.125 at opset 17, an operator sampler at opset 13),
 * imported and run on real Fashion-MNIST test images: the engine's logits equal ONNX Runtime's within 1e-4, the
 * layer names are the PyTorch module names, the planted backdoors work, and the imported models train.
 */
class OnnxFixturesTest {

    private static final Normalization FASHION = new Normalization(new double[]{Samples.MEAN}, new double[]{Samples.STD});

    private static EngineModel load(String file) {
        return OnnxImporter.load(Samples.resource(file), List.of(), FASHION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"small_cnn.onnx", "vgg_style.onnx", "preact_resnet18.onnx", "operators.onnx"})
    void imported_logits_equal_onnx_runtime_within_1e_4(String file) {
        EngineModel model = load(file);
        INDArray pixels = Samples.images(64);
        INDArray expected = Ort.run(Samples.resource(file), Samples.normalized(pixels));
        INDArray actual = model.logits(pixels);
        if (model.info().properties().getOrDefault("onnx.droppedOutputOperator", "").startsWith("Softmax")) {
            actual = Transforms.softmax(actual, true);
        }
        assertEquals(0.0, actual.sub(expected).amaxNumber().doubleValue(), 1e-4, file);
    }

    @Test
    void preact_resnet_keeps_the_pytorch_module_names_as_layers() {
        EngineModel model = load("preact_resnet18.onnx");
        List<String> layers = model.layerNames();
        for (String name : List.of("conv1", "layer1.0.bn1", "layer2.0.shortcut.0", "layer2.0.shortcut",
                "layer4.1.conv1", "layer4.1.conv2", "layer4.1", "layer4", "avgpool", "linear")) {
            assertTrue(layers.contains(name), name + " in " + layers);
        }
        assertTrue(layers.indexOf("layer4.1.conv2") < layers.indexOf("layer4.1"), "block after its last conv");
        assertTrue(layers.indexOf("layer4.1") < layers.indexOf("layer4"), "stage after its last block");
        assertEquals(model.layerNode("layer4"), model.layerNode("layer4.1"));
        assertTrue(model.network().nodes().stream().noneMatch(n -> n.layer().type().equals("reshape")),
                "out.view(out.size(0), -1) after the global pooling needs no node of its own");
        assertEquals("onnx-import", model.architectureId());
        assertEquals("17", model.info().properties().get("onnx.opset"));
        // 175,906 PyTorch parameters; the export folded each block's bn2 into conv1 (-2 x 240 gamma/beta, +240 biases)
        assertEquals(175_666, model.parameterNames().stream().mapToLong(p -> model.array(p).length()).sum(),
                "every weight of the file is a trainable engine parameter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"small_cnn.onnx", "vgg_style.onnx", "preact_resnet18.onnx"})
    void fixtures_are_accurate_and_carry_the_badnets_backdoor(String file) {
        EngineModel model = load(file);
        int n = 300;
        INDArray pixels = Samples.images(n);
        int[] labels = Samples.labels(n);
        int[] clean = Evaluator.argMax(model.logits(pixels));
        int[] triggered = Evaluator.argMax(model.logits(Samples.patched(pixels)));
        int correct = 0;
        int toTarget = 0;
        int others = 0;
        for (int i = 0; i < n; i++) {
            correct += clean[i] == labels[i] ? 1 : 0;
            if (labels[i] != 0) {
                others++;
                toTarget += triggered[i] == 0 ? 1 : 0;
            }
        }
        assertTrue(correct > 0.7 * n, file + ": clean accuracy " + correct + "/" + n);
        assertTrue(toTarget > 0.9 * others, file + ": attack success " + toTarget + "/" + others);
    }

    @Test
    void an_imported_model_trains() {
        EngineModel model = load("vgg_style.onnx");
        INDArray before = model.array("features.0/W").dup();
        INDArray pixels = Samples.images(32);
        Objective loss = Objective.crossEntropy(Samples.labels(32));
        Optimizer sgd = Optimizer.sgd(0.0, 0.0);
        double first = TrainStep.run(model, pixels, BnMode.EVAL, loss, sgd, 0.01).loss();
        double second = TrainStep.run(model, pixels, BnMode.EVAL, loss, sgd, 0.01).loss();
        assertNotEquals(0.0, model.array("features.0/W").sub(before).amaxNumber().doubleValue(), "conv weights moved");
        assertTrue(second < first, "the loss on the batch falls: " + first + " -> " + second);
    }
}
