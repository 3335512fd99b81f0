package io.purifier.defense.npd;

import io.purifier.api.param.InvalidParametersException;
import io.purifier.engine.model.EngineModel;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolarizerInsertionTest {

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    @Test
    void default_layer_is_layer4_1_conv1_for_preact_and_the_last_convolution_otherwise() {
        assertEquals("layer4.1.conv1", PolarizerInsertion.defaultLayer(TinyModels.preActResNet(8, 3, 1)));
        assertEquals("conv2", PolarizerInsertion.defaultLayer(TinyModels.cnn(8, 3, 1)));
        assertEquals("block3.conv2", PolarizerInsertion.defaultLayer(
                TinyModels.create("vgg-small", java.util.Map.of("widthMultiplier", 0.125, "hidden", 8), TinyModels.spec(1, 8, 3), 1)));
    }

    @Test
    void identity_polarizer_leaves_the_outputs_unchanged() {
        for (EngineModel m : List.of(TinyModels.cnn(8, 3, 3), TinyModels.preActResNet(8, 3, 3))) {
            INDArray x = TinyData.noise(5, 6, 1, 8);
            INDArray before = m.logits(x);
            Polarizer np = PolarizerInsertion.insert(m, PolarizerInsertion.defaultLayer(m), NpdParams.Placement.INPUT, 1);
            assertEquals(1e-6, Math.max(1e-6, maxAbsDiff(before, m.logits(x))), 0.0, m.architectureId());
            assertTrue(m.parameterNames().containsAll(np.parameters()));
        }
    }

    @Test
    void input_placement_feeds_only_the_named_convolution() {
        EngineModel m = TinyModels.preActResNet(8, 3, 2);
        // in layer4.0 the activated input also feeds the projection shortcut, which must stay unpolarized
        Polarizer np = PolarizerInsertion.insert(m, "layer4.0.conv1", NpdParams.Placement.INPUT, 1);
        List<String> consumers = m.network().consumers("layer4.0.relu1").stream().map(n -> n.name()).toList();
        assertEquals(2, consumers.size(), "the shortcut and the polarizer read the activation: " + consumers);
        assertTrue(consumers.containsAll(List.of("npd.conv", "layer4.0.shortcut")), consumers.toString());
        assertEquals(List.of("npd.bn"), m.network().node("layer4.0.conv1").inputs(), "the convolution reads the polarizer");
        assertEquals(8, np.channels(), "layer4.0.conv1 reads 8 channels at 1/32 width");
        assertTrue(m.layerNames().indexOf("npd.conv") < m.layerNames().indexOf("layer4.0.conv1"));
    }

    @Test
    void a_changed_polarizer_changes_the_outputs() {
        EngineModel m = TinyModels.cnn(8, 3, 4);
        INDArray x = TinyData.noise(6, 4, 1, 8);
        INDArray before = m.logits(x);
        Polarizer np = PolarizerInsertion.insert(m, "conv2", NpdParams.Placement.INPUT, 1);
        m.array(np.weight()).muli(0.5);
        assertNotEquals(0.0, maxAbsDiff(before, m.logits(x)));
    }

    @Test
    void output_placement_polarizes_a_layer_output_for_every_consumer() {
        EngineModel m = TinyModels.cnn(8, 3, 5);
        INDArray x = TinyData.noise(7, 4, 1, 8);
        INDArray before = m.logits(x);
        Polarizer np = PolarizerInsertion.insert(m, "pool2", NpdParams.Placement.OUTPUT, 1);
        assertEquals(8, np.channels());
        assertEquals(1e-6, Math.max(1e-6, maxAbsDiff(before, m.logits(x))), 0.0);
        assertEquals(List.of("npd.conv"), m.network().consumers("pool2").stream().map(n -> n.name()).toList());
        assertEquals(List.of("npd.bn"), m.network().node("flatten").inputs(), "flatten reads the polarizer");
    }

    @Test
    void a_second_polarizer_gets_its_own_names() {
        EngineModel m = TinyModels.cnn(8, 3, 6);
        PolarizerInsertion.insert(m, "conv2", NpdParams.Placement.INPUT, 1);
        Polarizer second = PolarizerInsertion.insert(m, "conv1", NpdParams.Placement.INPUT, 1);
        assertEquals("npd2.conv", second.convLayer());
    }

    @Test
    void rejects_unknown_layers_and_input_placement_on_non_convolutions_naming_the_parameter() {
        EngineModel m = TinyModels.cnn(8, 3, 7);
        var unknown = assertThrows(InvalidParametersException.class,
                () -> PolarizerInsertion.insert(m, "conv9", NpdParams.Placement.INPUT, 1));
        assertEquals("layer", unknown.problems().get(0).parameter());
        assertTrue(unknown.getMessage().contains("conv9"), unknown.getMessage());
        var notConv = assertThrows(InvalidParametersException.class,
                () -> PolarizerInsertion.insert(m, "relu2", NpdParams.Placement.INPUT, 1));
        assertTrue(notConv.getMessage().contains("not one"), notConv.getMessage());
        var flat = assertThrows(InvalidParametersException.class,
                () -> PolarizerInsertion.insert(m, "fc1", NpdParams.Placement.OUTPUT, 1));
        assertTrue(flat.getMessage().contains("[N, C, H, W]"), flat.getMessage());
    }
}
