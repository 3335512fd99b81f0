package io.purifier.defense.clp;

import io.purifier.engine.TestModels;
import io.purifier.engine.blocks.ChannelMask;
import io.purifier.engine.model.EngineModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which convolutions CLP pairs with a batch norm in each zoo architecture, and where their masks go. */
class ChannelUnitsTest {

    private static List<String> describe(EngineModel m) {
        return ChannelUnits.of(m).units().stream()
                .map(u -> u.conv() + "|" + u.batchNorm() + "|" + u.maskLayer() + "|" + u.channels()).toList();
    }

    @Test
    void small_cnn_without_batch_norm_masks_the_convolutions() {
        EngineModel m = TestModels.create("small-cnn", Map.of("width", 4, "hidden", 8), TestModels.spec(1, 8, 3), 1);
        assertEquals(List.of("conv1|null|conv1|4", "conv2|null|conv2|8"), describe(m));
    }

    @Test
    void small_cnn_with_batch_norm_pairs_each_convolution_with_its_batch_norm() {
        EngineModel m = TestModels.create("small-cnn", Map.of("width", 4, "hidden", 8, "batchNorm", true),
                TestModels.spec(1, 8, 3), 1);
        assertEquals(List.of("conv1|bn1|bn1|4", "conv2|bn2|bn2|8"), describe(m));
    }

    @Test
    void vgg_small_pairs_all_six_convolutions() {
        EngineModel m = TestModels.create("vgg-small", Map.of("widthMultiplier", 0.125, "hidden", 8),
                TestModels.spec(1, 8, 3), 1);
        List<String> units = describe(m);
        assertEquals(6, units.size());
        assertEquals("block1.conv1|block1.bn1|block1.bn1|4", units.get(0));
        assertEquals("block3.conv2|block3.bn2|block3.bn2|16", units.get(5));
    }

    @Test
    void preact_resnet_pairs_only_the_first_convolution_of_each_block_with_a_batch_norm() {
        EngineModel m = TestModels.create("preact-resnet18", Map.of("widthMultiplier", 0.0625),
                TestModels.spec(1, 8, 3), 1);
        List<String> units = describe(m);
        assertEquals(20, units.size(), "stem, 16 block convolutions and 3 shortcuts");
        assertEquals("conv1|null|conv1|4", units.get(0), "the stem also feeds the first shortcut: not a pair");
        assertTrue(units.contains("layer1.0.conv1|layer1.0.bn2|layer1.0.bn2|4"), units.toString());
        assertTrue(units.contains("layer1.0.conv2|null|layer1.0.conv2|4"), "conv2 feeds the residual sum");
        assertTrue(units.contains("layer2.0.shortcut|null|layer2.0.shortcut|8"), units.toString());
    }

    @Test
    void looks_through_masks_an_earlier_pruning_left() {
        EngineModel m = TestModels.create("small-cnn", Map.of("width", 4, "hidden", 8, "batchNorm", true),
                TestModels.spec(1, 8, 3), 1);
        ChannelMask.apply(m, "conv1", new boolean[]{true, false, true, true});
        ChannelMask.apply(m, "bn2", new boolean[]{true, true, true, true, true, true, false, true});
        assertEquals(List.of("conv1|bn1|bn1|4", "conv2|bn2|bn2|8"), describe(m));
    }

    @Test
    void a_model_without_convolutions_has_no_units() {
        assertTrue(ChannelUnits.of(TestModels.linear(new double[][]{{1, 0}}, new double[]{0, 0})).units().isEmpty());
    }
}
