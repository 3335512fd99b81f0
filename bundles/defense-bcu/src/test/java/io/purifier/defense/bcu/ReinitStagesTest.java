package io.purifier.defense.bcu;

import io.purifier.defense.bcu.ReinitStages.Mapping;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReinitStagesTest {

    @Test
    void preact_resnet_maps_stem_stages_shortcuts_and_linear_by_name() {
        List<String> layers = List.of("conv1", "layer1.0.conv1", "layer1.0.conv2", "layer2.0.shortcut",
                "layer2.0.conv1", "layer3.1.conv2", "layer4.0.shortcut", "layer4.1.conv2", "linear");
        Map<String, Integer> slots = ReinitStages.assign("preact-resnet18", layers, Mapping.ARCHITECTURE);
        assertEquals(List.of(0, 1, 1, 2, 2, 3, 4, 4, 5), List.copyOf(slots.values()));
    }

    @Test
    void vgg_maps_blocks_to_stages_and_the_hidden_dense_layer_to_stage_four() {
        List<String> layers = List.of("block1.conv1", "block1.conv2", "block2.conv1", "block2.conv2", "block3.conv1",
                "block3.conv2", "fc1", "fc2");
        Map<String, Integer> slots = ReinitStages.assign("vgg-small", layers, Mapping.ARCHITECTURE);
        assertEquals(List.of(1, 1, 2, 2, 3, 3, 4, 5), List.copyOf(slots.values()));
    }

    @Test
    void small_cnn_and_imported_models_are_mapped_by_depth() {
        List<String> layers = List.of("conv1", "conv2", "fc1", "fc2");
        assertEquals(List.of(0, 2, 4, 5), List.copyOf(ReinitStages.assign("small-cnn", layers, Mapping.ARCHITECTURE).values()));
        List<String> seven = List.of("a", "b", "c", "d", "e", "f", "g", "head");
        assertEquals(List.of(0, 1, 1, 2, 3, 3, 4, 5), List.copyOf(ReinitStages.assign("keras:thing", seven, Mapping.ARCHITECTURE).values()));
        assertEquals(List.of(0, 5), List.copyOf(ReinitStages.assign("x", List.of("a", "b"), Mapping.ARCHITECTURE).values()));
        assertEquals(List.of(5), List.copyOf(ReinitStages.assign("x", List.of("only"), Mapping.ARCHITECTURE).values()));
    }

    @Test
    void depth_mapping_ignores_names_and_unknown_layers_fall_back_to_depth() {
        List<String> layers = List.of("conv1", "layer1.0.conv1", "inserted.np", "layer4.1.conv2", "linear");
        assertEquals(List.of(0, 1, 3, 4, 5), List.copyOf(ReinitStages.assign("preact-resnet18", layers, Mapping.DEPTH).values()));
        assertEquals(List.of(0, 1, 3, 4, 5), List.copyOf(ReinitStages.assign("preact-resnet18", layers, Mapping.ARCHITECTURE).values()));
        List<String> odd = List.of("conv1", "layer9.0.conv1", "layerX.conv", "linear");
        assertEquals(List.of(0, 2, 4, 5), List.copyOf(ReinitStages.assign("preact-resnet18", odd, Mapping.ARCHITECTURE).values()));
    }

    @Test
    void depth_slot_spreads_hidden_layers_from_stem_to_stage_four() {
        assertEquals(0, ReinitStages.depthSlot(0, 1));
        assertEquals(0, ReinitStages.depthSlot(0, 5));
        assertEquals(2, ReinitStages.depthSlot(2, 5));
        assertEquals(4, ReinitStages.depthSlot(4, 5));
        assertEquals(3, ReinitStages.depthSlot(14, 20));
    }

    @Test
    void rejects_a_model_without_weighted_layers_and_unknown_mapping_names() {
        assertThrows(IllegalArgumentException.class, () -> ReinitStages.assign("x", List.of(), Mapping.DEPTH));
        assertThrows(IllegalArgumentException.class, () -> Mapping.fromId("random"));
        assertEquals(Mapping.DEPTH, Mapping.fromId("depth"));
    }
}
