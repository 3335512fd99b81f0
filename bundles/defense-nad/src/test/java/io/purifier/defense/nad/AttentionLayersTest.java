package io.purifier.defense.nad;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Normalization;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionLayersTest {

    private static final io.purifier.engine.zoo.InputSpec SPEC = TinyModels.spec(1, 16, 3);

    @Test
    void preact_resnet_uses_backdoorbench_layers_and_the_three_betas() {
        EngineModel m = TinyModels.create("preact-resnet18", Map.of("widthMultiplier", 0.125), SPEC, 1);
        AttentionLayers at = AttentionLayers.choose(m, params(Map.of()));
        assertEquals(List.of("layer3", "layer4", "avgpool"), at.layers());
        assertEquals(List.of(500.0, 1000.0, 1000.0), at.betas());
    }

    @Test
    void other_cnns_use_their_last_pooling_outputs_with_the_deepest_betas() {
        AttentionLayers small = AttentionLayers.choose(TinyModels.create("small-cnn", Map.of("width", 2), SPEC, 1), params(Map.of()));
        assertEquals(List.of("pool1", "pool2"), small.layers());
        assertEquals(List.of(1000.0, 1000.0), small.betas());
        AttentionLayers vgg = AttentionLayers.choose(TinyModels.create("vgg-small", Map.of("widthMultiplier", 0.125), SPEC, 1),
                params(Map.of("betas", List.of(1.0, 2.0, 3.0))));
        assertEquals(List.of("block1.pool", "block2.pool", "block3.pool"), vgg.layers());
        assertEquals(List.of(1.0, 2.0, 3.0), vgg.betas());
    }

    @Test
    void named_layers_need_one_beta_each_and_must_exist() {
        EngineModel m = TinyModels.create("small-cnn", Map.of("width", 2), SPEC, 1);
        AttentionLayers at = AttentionLayers.choose(m, params(Map.of("layers", "relu1, fc1", "betas", List.of(10.0, 20.0))));
        assertEquals(List.of("relu1", "fc1"), at.layers());
        assertEquals(List.of(10.0, 20.0), at.betas());
        InvalidParametersException count = assertThrows(InvalidParametersException.class,
                () -> params(Map.of("layers", "relu1")));
        assertEquals("betas", count.parameter());
        InvalidInputException unknown = assertThrows(InvalidInputException.class,
                () -> AttentionLayers.choose(m, params(Map.of("layers", "layer3", "betas", List.of(1.0)))));
        assertTrue(unknown.getMessage().contains("layer3"), unknown.getMessage());
    }

    @Test
    void a_model_without_feature_maps_is_refused_naming_its_layers() {
        GraphBuilder b = GraphBuilder.create("mlp", Map.of(), 1, 8, 8, TinyData.classNames(3),
                new Normalization(new double[]{0.5}, new double[]{0.5}), 1, DataType.FLOAT);
        EngineModel mlp = b.finish(b.dense("fc", b.flatten("flatten", b.input()), 64, 3));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AttentionLayers.choose(mlp, params(Map.of())));
        assertTrue(e.getMessage().contains("no layer with a 4-D output (layers: fc)"), e.getMessage());
    }

    private static NadParams params(Map<String, ?> raw) {
        return NadParams.from(NadParams.DESCRIPTOR.resolve(raw));
    }
}
