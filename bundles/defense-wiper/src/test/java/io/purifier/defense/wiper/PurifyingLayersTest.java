package io.purifier.defense.wiper;

import io.purifier.api.param.InvalidParametersException;
import io.purifier.engine.model.EngineModel;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PurifyingLayersTest {

    private static final EngineModel CNN = TinyModels.create("small-cnn", Map.of("width", 2, "hidden", 8), TinyModels.spec(1, 8, 3), 1);

    @Test
    void classifier_alias_resolves_to_the_output_layer_of_each_architecture() {
        assertEquals(List.of("fc2"), PurifyingLayers.resolve("classifier", CNN).layers());
        assertEquals(List.of("fc2/W", "fc2/b"), PurifyingLayers.resolve("classifier", CNN).parameters());
        EngineModel vgg = TinyModels.create("vgg-small", Map.of("widthMultiplier", 0.125, "hidden", 8), TinyModels.spec(1, 8, 3), 1);
        assertEquals(List.of("fc2"), PurifyingLayers.resolve("classifier", vgg).layers());
        EngineModel resnet = TinyModels.create("preact-resnet18", Map.of("widthMultiplier", 0.03125), TinyModels.spec(1, 8, 3), 1);
        assertEquals(List.of("linear/W", "linear/b"), PurifyingLayers.resolve("classifier", resnet).parameters());
        assertEquals(List.of("layer4.1.conv2"), PurifyingLayers.resolve("last-conv", resnet).layers());
    }

    @Test
    void penultimate_and_last_conv_aliases_and_literal_names_combine_without_duplicates() {
        PurifyingLayers layers = PurifyingLayers.resolve(" classifier, penultimate ,last-conv, fc2", CNN);
        assertEquals(List.of("fc2", "fc1", "conv2"), layers.layers());
        assertEquals(List.of("fc2/W", "fc2/b", "fc1/W", "fc1/b", "conv2/W", "conv2/b"), layers.parameters());
    }

    @Test
    void rejects_unknown_layers_and_names_the_parameter() {
        var e = assertThrows(InvalidParametersException.class, () -> PurifyingLayers.resolve("fc9", CNN));
        assertEquals("layers", e.parameter());
        assertTrue(e.getMessage().contains("fc9") && e.getMessage().contains("fc2"), e.getMessage());
    }

    @Test
    void rejects_layers_without_parameters_an_empty_list_and_a_missing_penultimate_layer() {
        assertEquals("layers", assertThrows(InvalidParametersException.class,
                () -> PurifyingLayers.resolve("relu1", CNN)).parameter());
        assertEquals("layers", assertThrows(InvalidParametersException.class,
                () -> PurifyingLayers.resolve(" , ", CNN)).parameter());
        EngineModel resnet = TinyModels.create("preact-resnet18", Map.of("widthMultiplier", 0.03125), TinyModels.spec(1, 8, 3), 1);
        var e = assertThrows(InvalidParametersException.class, () -> PurifyingLayers.resolve("penultimate", resnet));
        assertTrue(e.getMessage().contains("penultimate"), e.getMessage());
    }
}
