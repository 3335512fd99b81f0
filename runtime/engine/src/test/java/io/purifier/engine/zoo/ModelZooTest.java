package io.purifier.engine.zoo;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.TestModels;
import io.purifier.engine.model.EngineModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The zoo's catalogue, shapes, parameter counts, names and seeding. */
class ModelZooTest {

    static long parameterCount(EngineModel m) {
        long n = 0;
        for (String p : m.parameterNames()) {
            n += m.array(p).length();
        }
        return n;
    }

    @Test
    void lists_the_three_architectures_and_names_known_ids_for_an_unknown_one() {
        assertEquals(List.of("small-cnn", "vgg-small", "preact-resnet18"),
                ModelZoo.architectures().stream().map(Architecture::id).toList());
        var e = assertThrows(InvalidInputException.class, () -> ModelZoo.architecture("resnet50"));
        assertTrue(e.getMessage().contains("resnet50") && e.getMessage().contains("small-cnn, vgg-small, preact-resnet18"),
                e.getMessage());
    }

    @Test
    void every_architecture_predicts_fashion_mnist_shaped_input() {
        InputSpec spec = TestModels.spec(1, 28, 10);
        INDArray x = TestModels.randomImages(1, 3, 1, 28, 28);
        for (Architecture a : ModelZoo.architectures()) {
            EngineModel m = a.create(spec, 1);
            assertArrayEquals(new long[]{3, 10}, m.logits(x).shape(), a.id());
            assertEquals(a.id(), m.info().architecture());
            assertEquals(a.parameters().defaults().asMap(), m.recipe());
        }
    }

    @Test
    void preact_resnet18_at_full_width_has_the_pytorch_parameter_count() {
        // PreActResNet18(num_classes=10) on 3-channel input: 11,171,146 parameters in PyTorch (BN running stats excluded)
        EngineModel m = TestModels.create("preact-resnet18", Map.of("widthMultiplier", 1.0), TestModels.spec(3, 8, 10), 1);
        assertEquals(11_171_146L, parameterCount(m));
        assertArrayEquals(new long[]{512, 512, 3, 3}, m.array("layer4.1.conv1/W").shape());
        assertArrayEquals(new long[]{128, 64, 1, 1}, m.array("layer2.0.shortcut/W").shape());
        assertTrue(m.layerNames().containsAll(List.of("conv1", "layer1.0.bn1", "layer4.1.conv1", "layer4", "avgpool", "linear")));
        assertTrue(!m.layerNames().contains("layer1.0.shortcut"), "identity shortcut in layer1 expected");
        assertTrue(m.layerNames().indexOf("layer3") < m.layerNames().indexOf("layer4.0.bn1"));
    }

    @Test
    void small_cnn_parameter_count_and_same_padding_reaches_the_corner() {
        EngineModel m = TestModels.create("small-cnn", Map.of(), TestModels.spec(1, 28, 10), 3);
        // conv1 1*32*9+32, conv2 32*64*9+64, fc1 64*7*7*128+128, fc2 128*10+10
        assertEquals(320 + 18_496 + 401_536 + 1_290, parameterCount(m));
        INDArray x = TestModels.randomImages(4, 1, 1, 28, 28);
        INDArray corner = x.dup();
        corner.putScalar(new long[]{0, 0, 27, 27}, 1.0 - x.getDouble(0, 0, 27, 27));
        assertNotEquals(m.logits(x), m.logits(corner), "bottom-right pixel does not reach the logits");
    }

    @Test
    void vgg_small_scales_its_widths() {
        EngineModel m = TestModels.create("vgg-small", Map.of("widthMultiplier", 0.5), TestModels.spec(3, 16, 4), 1);
        assertArrayEquals(new long[]{64, 64, 3, 3}, m.array("block3.conv2/W").shape());
        assertEquals(6, m.batchNormLayers().size());
        assertThrows(InvalidInputException.class, () -> TestModels.create("vgg-small", Map.of(), TestModels.spec(1, 6, 2), 1));
    }

    @Test
    void the_same_seed_gives_identical_parameters_and_another_seed_different_ones() {
        InputSpec spec = TestModels.spec(3, 8, 3);
        EngineModel a = TestModels.create("preact-resnet18", Map.of("widthMultiplier", 0.0625), spec, 42);
        EngineModel b = TestModels.create("preact-resnet18", Map.of("widthMultiplier", 0.0625), spec, 42);
        EngineModel c = TestModels.create("preact-resnet18", Map.of("widthMultiplier", 0.0625), spec, 43);
        for (String p : a.parameterNames()) {
            assertEquals(a.array(p), b.array(p), p);
        }
        assertNotEquals(a.array("conv1/W"), c.array("conv1/W"));
        double bound = 1 / Math.sqrt(3 * 9);
        assertTrue(a.array("conv1/W").amaxNumber().doubleValue() <= bound);
        assertTrue(a.array("conv1/W").amaxNumber().doubleValue() > 0.8 * bound, "PyTorch default uniform bound expected");
    }

    @Test
    void normalization_is_applied_inside_the_model() {
        InputSpec spec = TestModels.spec(1, 8, 2);
        EngineModel m = TestModels.create("small-cnn", Map.of("width", 2, "hidden", 3), spec, 1);
        INDArray x = TestModels.randomImages(9, 2, 1, 8, 8);
        try (var pass = m.forward(x, io.purifier.engine.model.BnMode.EVAL, io.purifier.engine.nn.GradientRequest.NONE)) {
            INDArray normalized = pass.nodeOutput(io.purifier.engine.model.GraphNames.NORMALIZE);
            double expected = (x.getDouble(1, 0, 3, 4) - 0.4) / 0.25;
            assertEquals(expected, normalized.getDouble(1, 0, 3, 4), 1e-5);
        }
    }
}
