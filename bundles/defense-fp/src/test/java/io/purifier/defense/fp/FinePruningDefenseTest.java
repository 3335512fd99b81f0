package io.purifier.defense.fp;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.RunCancelledException;
import io.purifier.engine.blocks.ChannelMask;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.NativeModelFile;
import io.purifier.testkit.RecordingRunContext;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FinePruningDefenseTest {

    private static final FinePruningDefense DEFENSE = new FinePruningDefense();
    private static EngineModel backdoored;
    private static ImageSet clean;

    @BeforeAll
    static void train() {
        backdoored = TinyModels.backdooredCnn(51, false);
        clean = TinyData.quadrants(52, 60, TinyModels.SIZE, TinyModels.CLASSES);
    }

    @Test
    void declares_five_percent_labeled_clean_data() {
        assertEquals(DataContract.labeledClean(0.05), DEFENSE.dataContract());
        assertEquals("fp", DEFENSE.id());
    }

    @Test
    void prunes_then_fine_tunes_a_copy_that_keeps_its_mask_through_a_save(@TempDir Path dir) throws Exception {
        RecordingRunContext ctx = RecordingRunContext.withProbe(3, m -> Map.of("C-ACC", Evaluator.accuracy(m, clean)));
        ResolvedParams params = params(Map.of("accRatio", 1.0, "oncePruneRatio", 0.25, "epochs", 2, "batchSize", 16,
                "cropPadding", 1));

        DefenseResult result = DEFENSE.purify(backdoored, labeled(clean), params, ctx);

        EngineModel purified = (EngineModel) result.purified();
        Map<String, Object> s = result.summary();
        assertEquals("relu2", s.get("layer"));
        assertEquals(8, s.get("channels"));
        assertEquals(6, s.get("prunedChannels"));
        assertEquals(0.75, (Double) s.get("prunedFraction"), 0);
        boolean[] keep = ChannelMask.keep(purified, "relu2");
        int silent = 0;
        for (boolean k : keep) {
            silent += k ? 0 : 1;
        }
        assertEquals(6, silent);
        assertArrayEquals(new double[]{0, 2, 4, 6}, ctx.xs("prune/defense data accuracy"), 0);
        assertArrayEquals(new double[]{0, 2, 4, 6}, ctx.xs("prune test/C-ACC"), 0, "reporting probe per count");
        assertArrayEquals(new double[]{1, 2}, ctx.xs("train/loss"), 0);
        assertArrayEquals(new double[]{0, 1, 2}, ctx.xs("test/C-ACC"), 0);
        assertTrue(ctx.logged("fp fine-tuning: epoch 2/2"), ctx.logs().toString());

        Path file = dir.resolve("fp.zip");
        NativeModelFile.save(purified, file);
        EngineModel loaded = NativeModelFile.load(file);
        assertArrayEquals(keep, ChannelMask.keep(loaded, "relu2"));
        INDArray x = clean.images();
        assertEquals(purified.logits(x), loaded.logits(x));
    }

    @Test
    void zero_epochs_prunes_only() {
        ResolvedParams params = params(Map.of("epochs", 0));
        DefenseResult a = DEFENSE.purify(backdoored, labeled(clean), params, RecordingRunContext.seeded(5));
        EngineModel pa = (EngineModel) a.purified();
        for (String p : backdoored.parameterNames()) {
            assertEquals(backdoored.array(p), pa.array(p), "pruning only changes the mask: " + p);
        }
        assertEquals(a.summary().get("defenseDataAccuracyAfterPruning"), a.summary().get("defenseDataAccuracyAfter"));
    }

    @Test
    void cancellation_is_honoured_during_fine_tuning_too() {
        RecordingRunContext late = RecordingRunContext.seeded(1).cancelAfter(20);
        assertThrows(RunCancelledException.class, () -> DEFENSE.purify(backdoored, labeled(clean),
                params(Map.of("accRatio", 0.0, "epochs", 50, "batchSize", 16)), late));
        assertTrue(late.series().contains("train/loss"), "cancelled in fine-tuning, after an epoch");
    }

    @Test
    void refuses_unknown_layers_and_data_of_another_class_count() {
        InvalidInputException layer = assertThrows(InvalidInputException.class, () -> DEFENSE.purify(backdoored,
                labeled(clean), params(Map.of("layer", "layer4")), RecordingRunContext.seeded(1)));
        assertTrue(layer.getMessage().contains("layer4"), layer.getMessage());
        ImageSet fourClasses = TinyData.quadrants(1, 8, TinyModels.SIZE, 4);
        assertTrue(assertThrows(InvalidInputException.class, () -> DEFENSE.purify(backdoored, labeled(fourClasses),
                params(Map.of()), RecordingRunContext.seeded(1))).getMessage().contains("4 classes but the model has 3"));
    }

    static DefenseData labeled(ImageSet set) {
        return new DefenseData(set, null, set.size() + " clean test images");
    }

    static ResolvedParams params(Map<String, ?> raw) {
        return DEFENSE.parameters().resolve(raw);
    }
}
