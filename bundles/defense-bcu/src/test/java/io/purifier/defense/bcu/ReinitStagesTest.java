package io.purifier.defense.bcu;

import io.purifier.defense.bcu.ReinitStages.Mapping;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReinitStagesTest {

    @Test
    void preact_resnet_maps_stem_stages_shortcuts_and_linear_by_name() {
        List<String> layers = List.of("conv1", "layer1.0.conv1", "layer1.0.conv2", "layer2.0.shortcut",
                "layer2.0.conv1", "layer3.1.conv2", "layer4.0.shortcut", "layer4.1.conv2", "linear");
        assertEquals(List.of(0, 1, 1, 2, 2, 3, 4, 4, 5), slots("preact-resnet18", layers, allButLast(layers), Mapping.ARCHITECTURE));
    }

    @Test
    void small_cnn_puts_its_last_convolution_and_hidden_dense_layer_in_stage_four() {
        List<String> layers = List.of("conv1", "conv2", "fc1", "fc2");
        assertEquals(List.of(0, 4, 4, 5), slots("small-cnn", layers, Set.of("conv1", "conv2"), Mapping.ARCHITECTURE));
    }

    @Test
    void vgg_spreads_its_convolutions_over_depth_quartiles() {
        List<String> layers = List.of("block1.conv1", "block1.conv2", "block2.conv1", "block2.conv2", "block3.conv1",
                "block3.conv2", "fc1", "fc2");
        Set<String> convs = Set.copyOf(layers.subList(0, 6));
        assertEquals(List.of(0, 1, 2, 3, 4, 4, 4, 5), slots("vgg-small", layers, convs, Mapping.ARCHITECTURE));
    }

    @Test
    void a_resnet_mapped_by_depth_gets_quartiles_close_to_its_named_stages() {
        List<String> layers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            layers.add("c" + i);
        }
        layers.add("head");
        List<Integer> expected = new ArrayList<>(List.of(0));
        for (int stage = 1; stage <= 4; stage++) {
            for (int k = 0; k < (stage == 1 ? 4 : 5); k++) {
                expected.add(stage);
            }
        }
        expected.add(5);
        assertEquals(expected, slots("imported", layers, allButLast(layers), Mapping.DEPTH));
    }

    @Test
    void dense_only_and_single_layer_models_are_mapped() {
        assertEquals(List.of(4, 4, 5), slots("mlp", List.of("a", "b", "head"), Set.of(), Mapping.ARCHITECTURE));
        assertEquals(List.of(0, 5), slots("x", List.of("conv", "head"), Set.of("conv"), Mapping.ARCHITECTURE));
        assertEquals(List.of(5), slots("x", List.of("only"), Set.of(), Mapping.ARCHITECTURE));
    }

    @Test
    void depth_mapping_ignores_names_and_unknown_layers_fall_back_to_depth() {
        List<String> layers = List.of("conv1", "layer1.0.conv1", "inserted.np", "layer4.1.conv2", "linear");
        assertEquals(List.of(0, 2, 3, 4, 5), slots("preact-resnet18", layers, allButLast(layers), Mapping.DEPTH));
        assertEquals(List.of(0, 1, 3, 4, 5), slots("preact-resnet18", layers, allButLast(layers), Mapping.ARCHITECTURE));
        List<String> odd = List.of("conv1", "layer9.0.conv1", "layerX.conv", "linear");
        assertEquals(List.of(0, 2, 4, 5), slots("preact-resnet18", odd, allButLast(odd), Mapping.ARCHITECTURE));
    }

    @Test
    void conv_slot_is_the_stem_first_then_ceiling_quartiles_ending_in_stage_four() {
        assertEquals(0, ReinitStages.convSlot(0, 1));
        assertEquals(0, ReinitStages.convSlot(0, 7));
        assertEquals(4, ReinitStages.convSlot(1, 2));
        assertEquals(1, ReinitStages.convSlot(1, 20));
        assertEquals(3, ReinitStages.convSlot(14, 20));
        assertEquals(4, ReinitStages.convSlot(15, 20));
        assertEquals(4, ReinitStages.convSlot(19, 20));
    }

    @Test
    void rejects_a_model_without_weighted_layers_and_unknown_mapping_names() {
        assertThrows(IllegalArgumentException.class, () -> ReinitStages.assign("x", List.of(), Set.of(), Mapping.DEPTH));
        assertThrows(IllegalArgumentException.class, () -> Mapping.fromId("random"));
        assertEquals(Mapping.DEPTH, Mapping.fromId("depth"));
    }

    private static List<Integer> slots(String arch, List<String> layers, Set<String> convs, Mapping mapping) {
        Map<String, Integer> m = ReinitStages.assign(arch, layers, convs, mapping);
        assertEquals(layers, new ArrayList<>(m.keySet()));
        return new ArrayList<>(m.values());
    }

    private static Set<String> allButLast(List<String> layers) {
        return Set.copyOf(layers.subList(0, layers.size() - 1));
    }
}
