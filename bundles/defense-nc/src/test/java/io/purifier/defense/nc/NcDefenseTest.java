package io.purifier.defense.nc;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.model.EngineModel;
import io.purifier.testkit.RecordingRunContext;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NcDefenseTest {

    private static final NcDefense DEFENSE = new NcDefense();
    private static EngineModel backdoored;
    private static ImageSet clean;
    private static INDArray triggered;

    @BeforeAll
    static void train() {
        backdoored = TinyModels.backdooredBarsCnn(101);
        clean = TinyData.bars(102, 60, TinyModels.BARS_SIZE, TinyModels.BARS_CLASSES);
        triggered = TinyData.triggeredNonTarget(TinyData.bars(103, 60, TinyModels.BARS_SIZE, TinyModels.BARS_CLASSES), TinyModels.TARGET);
        assertTrue(TinyModels.attackSuccess(backdoored, triggered, TinyModels.TARGET) > 0.9, "the tiny model learnt the backdoor");
    }

    @Test
    void declares_five_percent_labeled_clean_data() {
        assertEquals(DataContract.labeledClean(0.05), DEFENSE.dataContract());
        assertEquals("nc", DEFENSE.id());
    }

    @Test
    void finds_the_planted_target_reports_it_writes_the_triggers_and_unlearns(@TempDir Path dir) throws Exception {
        RecordingRunContext ctx = RecordingRunContext.withProbe(3, m -> Map.of("ASR",
                TinyModels.attackSuccess((EngineModel) m, triggered, TinyModels.TARGET))).artifactsIn(dir);
        DefenseResult result = DEFENSE.purify(backdoored, labeled(clean), params(Map.of("searchEpochs", 20, "batchSize", 60,
                "cropPadding", 0, "epochs", 5, "learningRate", 0.05)), ctx);

        Map<String, Object> s = result.summary();
        assertEquals(0, s.get("flaggedClass"), s.toString());
        assertEquals("0 (class0)", s.get("flaggedClasses"));
        assertTrue((Double) s.get("anomalyIndex") > 2, s.toString());
        assertEquals(60, s.get("unlearningImages"), "48 clean + 12 stamped with the class-0 trigger");
        double[] norms = ctx.ys("detection/mask norm");
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5}, ctx.xs("detection/mask norm"), 0);
        for (int k = 1; k < 6; k++) {
            assertTrue(norms[0] < norms[k], "the target's trigger is the smallest: " + java.util.Arrays.toString(norms));
        }
        assertTrue(ctx.xs("search/mask norm (class 1)").length >= 1);
        assertArrayEquals(new double[]{1, 2, 3, 4, 5}, ctx.xs("train/loss"), 0);
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5}, ctx.xs("test/ASR"), 0);
        assertTrue(ctx.ys("test/ASR")[5] < ctx.ys("test/ASR")[0], "unlearning lowers the ASR: " + java.util.Arrays.toString(ctx.ys("test/ASR")));
        List<String> table = Files.readAllLines(dir.resolve("nc-mask-norms.tsv"));
        assertEquals("class\tname\tnorm\tattackSuccess\tepochs\tflagged", table.get(0));
        assertTrue(table.get(1).startsWith("0\tclass0\t") && table.get(1).endsWith("\tyes"), table.get(1));
        assertTrue(table.get(2).endsWith("\tno"), table.get(2));
        assertEquals(16, ImageIO.read(dir.resolve("nc-class0-trigger.png").toFile()).getWidth());
        assertTrue(Files.exists(dir.resolve("nc-class5-mask.png")));
        assertNotEquals(backdoored.array("fc2/W"), ((EngineModel) result.purified()).array("fc2/W"));
    }

    @Test
    void with_no_flagged_class_the_model_comes_back_unchanged(@TempDir Path dir) {
        RecordingRunContext ctx = RecordingRunContext.seeded(5).artifactsIn(dir);
        DefenseResult r = DEFENSE.purify(backdoored, labeled(clean), params(Map.of("searchEpochs", 2, "batchSize", 30,
                "cropPadding", 0, "anomalyThreshold", 100.0)), ctx);
        assertEquals(-1, r.summary().get("flaggedClass"));
        assertEquals("none", r.summary().get("flaggedClasses"));
        assertEquals(0, r.summary().get("unlearningImages"));
        EngineModel out = (EngineModel) r.purified();
        for (String p : backdoored.parameterNames()) {
            assertEquals(backdoored.array(p), out.array(p), p);
        }
        assertTrue(ctx.logged("nc: no class is flagged"));
        assertEquals(0, ctx.xs("train/loss").length);
    }

    @Test
    void refuses_data_of_another_class_count() {
        ImageSet fourClasses = TinyData.bars(1, 8, TinyModels.BARS_SIZE, 4);
        assertTrue(assertThrows(InvalidInputException.class, () -> DEFENSE.purify(backdoored, labeled(fourClasses),
                params(Map.of()), RecordingRunContext.seeded(1))).getMessage().contains("4 classes but the model has 6"));
    }

    static DefenseData labeled(ImageSet set) {
        return new DefenseData(set, null, set.size() + " clean test images");
    }

    static ResolvedParams params(Map<String, ?> raw) {
        return DEFENSE.parameters().resolve(raw);
    }
}
