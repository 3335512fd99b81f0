package io.purifier.defense.npd;

import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.testkit.RecordingRunContext;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpdDefenseTest {

    private final NpdDefense defense = new NpdDefense();
    private final ImageSet data = TinyData.quadrants(31, 30, 8, 3);
    private final ImageSet test = TinyData.quadrants(32, 30, 8, 3);
    private final Map<String, Object> raw = Map.of("epochs", 2, "warmupEpochs", 1, "batchSize", 16);

    private DefenseResult run(EngineModel model, RecordingRunContext ctx) throws Exception {
        return defense.purify(model, new DefenseData(data, null, "30 tiny images"), NpdParams.DESCRIPTOR.resolve(raw), ctx);
    }

    @Test
    void declares_five_percent_labeled_clean_data() {
        assertEquals(DataContract.labeledClean(0.05), defense.dataContract());
        assertEquals("npd", defense.id());
    }

    @Test
    void purify_returns_a_polarized_copy_whose_original_weights_are_kept_with_curves_and_summary() throws Exception {
        EngineModel model = TinyModels.cnn(8, 3, 30);
        INDArray before = model.logits(test.images());
        RecordingRunContext ctx = RecordingRunContext.withProbe(9, m -> Map.of("C-ACC", Evaluator.accuracy(m, test), "ASR", 0.5));

        DefenseResult result = run(model, ctx);

        EngineModel purified = (EngineModel) result.purified();
        assertTrue(purified.layerNames().containsAll(List.of("npd.conv", "npd.bn")), purified.layerNames().toString());
        assertTrue(purified.frozenParameters().isEmpty(), "no training-only frozen set in the result");
        assertTrue(purified.batchNormLayers().stream().allMatch(purified::followsBatchNormMode),
                "no batch norm left pinned in the result");
        for (String name : model.parameterNames()) {
            assertEquals(model.array(name), purified.array(name), name + " is an original weight and must not change");
        }
        assertTrue(purified.frozenParameters().isEmpty(), "the returned model is not left frozen");
        assertNotEquals(before, purified.logits(test.images()), "the trained polarizer changes the outputs");
        assertTrue(purified.info().properties().get("defense.npd").contains("conv2"));

        assertEquals("conv2", result.summary().get("layer"));
        assertEquals(4 * 4 + 2 * 4L, result.summary().get("polarizerParameters"));
        assertEquals(2, result.summary().get("epochs"));
        assertEquals(3.0 * Math.sqrt(64.0 / 3072), (double) result.summary().get("attackRadius"), 1e-12);
        assertEquals(2, ctx.curve("loss/L1 clean CE").size());
        assertEquals(2, ctx.curve("loss/L4 target").size());
        assertEquals(2, ctx.curve("defense data/clean accuracy").size());
        assertEquals(1, ctx.curve("warmup/CE").size());
        // the tiny model sits at chance, so only the curve's presence is checked here; reading accuracy from the
        // logits a training step returns is guarded in the engine (ShippedBackendCorrectnessTest, TrainerTest)
        assertEquals(1, ctx.curve("warmup/clean accuracy (train mode)").size());
        List<double[]> cAcc = ctx.curve("test/C-ACC");
        assertEquals(List.of(0.0, 1.0, 2.0), cAcc.stream().map(pt -> pt[0]).toList(), "after warm-up and each epoch");
        assertEquals(Evaluator.accuracy(purified, test), cAcc.get(2)[1], 1e-9, "the probe saw the final polarizer");
    }
}
