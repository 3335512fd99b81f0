package io.purifier.engine.blocks;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.engine.TestModels;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.NativeModelFile;
import io.purifier.engine.run.LocalRunContext;
import io.purifier.engine.train.Trainer;
import io.purifier.engine.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layer insertion, freezing and re-initialisation on real graphs. */
class SurgeryTest {

    private static final TrainingConfig STEPS = new TrainingConfig("sgd", 0.05, 0.9, 5e-4, "constant", 1, 32);

    @TempDir
    Path dir;

    private static EngineModel resnet(long seed) {
        EngineModel m = TestModels.create("preact-resnet18", Map.of("widthMultiplier", 0.0625), TestModels.spec(1, 12, 3), seed);
        TestModels.randomizeBatchNorm(m, seed);
        return m;
    }

    @Test
    void identity_conv_bn_insertion_keeps_outputs_and_only_the_new_layers_train() {
        EngineModel model = resnet(1);
        ImageSet data = TestModels.quadrants(1, 64, 12, 3);
        INDArray before = model.logits(data.images());
        Map<String, INDArray> params = new HashMap<>();
        for (String p : model.parameterNames()) {
            params.put(p, model.array(p).dup());
        }
        INDArray runMean = model.array("layer4.1.bn2/mean").dup();

        List<String> added = LayerInsertion.insertIdentityConvBn(model, "layer3", LayerInsertion.Placement.OUTPUT, "repair", 7);
        assertEquals(List.of("repair.conv", "repair.bn"), added);
        List<String> layers = model.layerNames();
        assertEquals(layers.indexOf("layer3") + 1, layers.indexOf("repair.conv"));
        INDArray after = model.logits(data.images());
        assertTrue(before.equalsWithEps(after, 1e-5), "outputs changed by insertion");

        Freezing.freezeAllExcept(model, added);
        Trainer.train(model, data, Augmentation.none(), null, STEPS, LocalRunContext.quiet(3));
        for (var e : params.entrySet()) {
            assertEquals(e.getValue(), model.array(e.getKey()), e.getKey() + " changed although frozen");
        }
        assertEquals(runMean, model.array("layer4.1.bn2/mean"), "pinned running stats changed");
        assertNotEquals(model.initializer("repair.conv/W").sample(new long[]{16, 16, 1, 1},
                model.dataType(), 7, "repair.conv/W"), model.array("repair.conv/W"), "inserted conv did not train");
        assertNotEquals(0.0, model.array("repair.bn/mean").sumNumber().doubleValue(), "inserted BN stats not updated");

        Path file = dir.resolve("edited.purifier");
        NativeModelFile.save(model, file);
        EngineModel back = NativeModelFile.load(file);
        assertEquals(model.logits(data.images()), back.logits(data.images()));
        assertEquals(model.layerNames(), back.layerNames());
    }

    @Test
    void insertion_needs_a_four_dimensional_layer_and_a_known_name() {
        EngineModel model = resnet(2);
        assertThrows(InvalidInputException.class, () -> LayerInsertion.insertIdentityConvBn(model, "linear", LayerInsertion.Placement.OUTPUT, "x", 1));
        var e = assertThrows(InvalidInputException.class, () -> LayerInsertion.insertIdentityConvBn(model, "layer9", LayerInsertion.Placement.OUTPUT, "x", 1));
        assertTrue(e.getMessage().contains("layer4.1.conv1"), e.getMessage());
    }

    @Test
    void freezing_a_stage_covers_its_nested_layers() {
        EngineModel model = resnet(3);
        List<String> frozen = Freezing.freezeLayers(model, List.of("layer4"));
        assertTrue(frozen.contains("layer4.1.conv1/W") && frozen.contains("layer4.0.shortcut/W"), frozen.toString());
        assertTrue(frozen.stream().allMatch(p -> p.startsWith("layer4.")), frozen.toString());
        assertTrue(!model.followsBatchNormMode(model.batchNormLayers().stream()
                .filter(b -> b.name().equals("layer4.0.bn1")).findFirst().orElseThrow()));
        Freezing.unfreezeAll(model);
        assertEquals(model.parameterNames(), model.trainableParameterNames());
    }

    @Test
    void reinitialising_with_the_model_seed_reproduces_the_fresh_twin() {
        EngineModel trained = TestModels.create("small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", true),
                TestModels.spec(1, 12, 3), 5);
        Trainer.train(trained, TestModels.quadrants(2, 64, 12, 3), Augmentation.none(), null, STEPS, LocalRunContext.quiet(1));
        EngineModel fresh = TestModels.create("small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", true),
                TestModels.spec(1, 12, 3), 5);
        INDArray fc1 = trained.array("fc1/W").dup();
        List<String> reset = Reinitialization.layers(trained, List.of("conv1", "bn1"), trained.seed());
        assertEquals(List.of("conv1/W", "bn1/gamma", "bn1/beta"), reset);
        assertEquals(fresh.array("conv1/W"), trained.array("conv1/W"));
        assertEquals(fresh.array("bn1/gamma"), trained.array("bn1/gamma"));
        assertEquals(fresh.array("bn1/mean"), trained.array("bn1/mean"));
        assertEquals(fc1, trained.array("fc1/W"));
        Reinitialization.parameters(trained, List.of("conv1/W"), 99);
        assertNotEquals(fresh.array("conv1/W"), trained.array("conv1/W"));
        double bound = trained.initializer("conv1/W").scale();
        assertTrue(Transforms.abs(trained.array("conv1/W")).maxNumber().doubleValue() <= bound);
    }
}
