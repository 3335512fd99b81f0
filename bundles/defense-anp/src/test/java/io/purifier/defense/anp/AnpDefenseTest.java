package io.purifier.defense.anp;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.testkit.RecordingRunContext;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnpDefenseTest {

    private static final AnpDefense DEFENSE = new AnpDefense();
    private static EngineModel backdoored;
    private static ImageSet clean;

    @BeforeAll
    static void train() {
        backdoored = TinyModels.backdooredCnn(91, true);
        clean = TinyData.quadrants(92, 60, TinyModels.SIZE, TinyModels.CLASSES);
    }

    @Test
    void declares_five_percent_labeled_clean_data() {
        assertEquals(DataContract.labeledClean(0.05), DEFENSE.dataContract());
        assertEquals("anp", DEFENSE.id());
    }

    @Test
    void learns_masks_prunes_batch_norm_neurons_of_a_copy_and_writes_the_masks(@TempDir Path dir) throws Exception {
        RecordingRunContext ctx = RecordingRunContext.withProbe(3, m -> Map.of("C-ACC", Evaluator.accuracy(m, clean)))
                .artifactsIn(dir);
        DefenseResult result = DEFENSE.purify(backdoored, labeled(clean), params(Map.of("iterations", 20, "logEvery", 10,
                "batchSize", 16, "cropPadding", 0, "maskLearningRate", 0.2, "accRatio", 1.0)), ctx);

        EngineModel purified = (EngineModel) result.purified();
        Map<String, Object> s = result.summary();
        assertEquals("batch-norm", s.get("neuronKind"));
        assertEquals(2, s.get("layers"));
        assertEquals(12, s.get("neurons"), "bn1 has 4 channels, bn2 8");
        assertEquals("0.9000", s.get("selected"), "a tolerance of 100% keeps the last threshold");
        int pruned = (Integer) s.get("prunedNeurons");
        List<String> lines = Files.readAllLines(dir.resolve(AdversarialNeuronPruning.MASK_FILE));
        assertEquals("layer\tchannel\tmask", lines.get(0));
        assertEquals(13, lines.size());
        int zeroGammas = 0;
        int atMost = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            double mask = Double.parseDouble(f[2]);
            assertTrue(mask >= 0 && mask <= 1, line);
            double gamma = purified.array(f[0] + "/gamma").getDouble(Integer.parseInt(f[1]));
            if (mask <= 0.9) {
                atMost++;
                assertEquals(0.0, gamma, 0, "pruned: " + line);
            } else {
                assertEquals(backdoored.array(f[0] + "/gamma").getDouble(Integer.parseInt(f[1])), gamma, 0, "kept: " + line);
            }
            zeroGammas += gamma == 0.0 ? 1 : 0;
        }
        assertEquals(atMost, pruned, "masks are written with 6 decimals; none sits on the threshold here");
        assertEquals(pruned, zeroGammas);
        assertEquals(backdoored.array("bn2/beta"), purified.array("bn2/beta"), "ANP prunes the weight part only");
        assertArrayEquals(new double[]{10, 20}, ctx.xs("mask/loss"), 0);
        assertEquals(19, ctx.xs("prune/defense data accuracy").length);
        assertEquals(19, ctx.xs("prune test/C-ACC").length);
        assertTrue(purified.properties().get("defense.anp").contains("batch-norm neurons pruned (threshold 0.9000)"));
    }

    @Test
    void a_model_without_batch_norm_uses_its_convolutions() {
        EngineModel plain = TinyModels.backdooredCnn(93, false);
        ResolvedParams p = params(Map.of("iterations", 4, "batchSize", 8, "cropPadding", 0, "pruningBy", "number",
                "pruningMax", 3, "pruningStep", 1, "accRatio", 1.0));
        DefenseResult a = DEFENSE.purify(plain, labeled(clean), p, RecordingRunContext.seeded(5));
        assertEquals("convolution", a.summary().get("neuronKind"));
        assertEquals(3, a.summary().get("prunedNeurons"));
        assertEquals("3", a.summary().get("selected"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> DEFENSE.purify(plain, labeled(clean),
                params(Map.of("neurons", "batch-norm")), RecordingRunContext.seeded(1)));
        assertTrue(e.getMessage().contains("has no batch-norm layer; use neurons = convolution or auto"), e.getMessage());
    }

    @Test
    void refuses_data_of_another_class_count() {
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
