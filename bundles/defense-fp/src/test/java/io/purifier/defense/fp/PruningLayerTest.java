package io.purifier.defense.fp;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Normalization;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PruningLayerTest {

    @Test
    void default_is_the_last_convolutional_feature_map_of_each_zoo_model() {
        var spec = TinyModels.spec(1, 16, 3);
        assertEquals("relu2", PruningLayer.choose(TinyModels.create("small-cnn", Map.of("width", 2), spec, 1), ""));
        assertEquals("relu2", PruningLayer.choose(TinyModels.create("small-cnn", Map.of("width", 2, "batchNorm", true), spec, 1), ""));
        assertEquals("block3.relu2", PruningLayer.choose(TinyModels.create("vgg-small", Map.of("widthMultiplier", 0.125), spec, 1), ""));
        assertEquals("layer4", PruningLayer.choose(TinyModels.create("preact-resnet18", Map.of("widthMultiplier", 0.125), spec, 1), ""));
    }

    @Test
    void a_named_layer_is_used_when_it_has_channels_and_refused_with_its_name_otherwise() {
        EngineModel m = TinyModels.create("small-cnn", Map.of("width", 2), TinyModels.spec(1, 16, 3), 1);
        assertEquals("fc1", PruningLayer.choose(m, "fc1"));
        assertEquals("conv1", PruningLayer.choose(m, "conv1"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PruningLayer.choose(m, "layer4"));
        assertTrue(e.getMessage().contains("layer4"), e.getMessage());
    }

    @Test
    void a_model_without_feature_maps_is_refused_naming_its_layers() {
        GraphBuilder b = GraphBuilder.create("mlp", Map.of(), 1, 8, 8, TinyData.classNames(3),
                new Normalization(new double[]{0.5}, new double[]{0.5}), 1, DataType.FLOAT);
        EngineModel mlp = b.finish(b.dense("fc", b.flatten("flatten", b.input()), 64, 3));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PruningLayer.choose(mlp, ""));
        assertTrue(e.getMessage().contains("no layer with a 4-D output (layers: fc)"), e.getMessage());
    }
}
