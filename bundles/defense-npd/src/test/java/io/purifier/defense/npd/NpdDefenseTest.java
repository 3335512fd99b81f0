package io.purifier.defense.npd;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelInfo;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpdDefenseTest {

    private final NpdDefense defense = new NpdDefense();
    private final ImageSet data = Tiny.bands(31, 30);
    private final ImageSet test = Tiny.bands(32, 30);
    private final Map<String, Object> raw = Map.of("epochs", 2, "warmupEpochs", 1, "batchSize", 16);

    private DefenseResult run(EngineModel model, TestRunContext ctx) throws Exception {
        return defense.purify(model, new DefenseData(data, null, "30 tiny images"), NpdParams.DESCRIPTOR.resolve(raw), ctx);
    }

    @Test
    void declares_five_percent_labeled_clean_data() {
        assertEquals(DataContract.labeledClean(0.05), defense.dataContract());
        assertEquals("npd", defense.id());
    }

    @Test
    void purify_returns_a_polarized_copy_with_curves_and_summary_and_leaves_the_input_alone() throws Exception {
        EngineModel model = Tiny.cnn(30);
        INDArray before = model.logits(test.images());
        Map<String, INDArray> paramsBefore = new java.util.HashMap<>();
        for (String name : model.parameterNames()) {
            paramsBefore.put(name, model.array(name).dup());
        }
        TestRunContext ctx = new TestRunContext(9, m -> Map.of("C-ACC", Evaluator.accuracy(m, test), "ASR", 0.5));

        DefenseResult result = run(model, ctx);

        assertEquals(before, model.logits(test.images()), "input model outputs unchanged");
        for (String name : model.parameterNames()) {
            assertEquals(paramsBefore.get(name), model.array(name), name);
        }
        assertFalse(model.layerNames().contains("npd.conv"));

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
        assertEquals(2, ctx.curves.get("loss/L1 clean CE").size());
        assertEquals(2, ctx.curves.get("loss/L4 target").size());
        assertEquals(2, ctx.curves.get("defense data/clean accuracy").size());
        assertEquals(1, ctx.curves.get("warmup/CE").size());
        // the tiny model sits at chance, so only the curve's presence is checked here; reading accuracy from the
        // logits a training step returns is guarded in the engine (ShippedBackendCorrectnessTest, TrainerTest)
        assertEquals(1, ctx.curves.get("warmup/clean accuracy (train mode)").size());
        List<double[]> cAcc = ctx.curves.get("test/C-ACC");
        assertEquals(List.of(0.0, 1.0, 2.0), cAcc.stream().map(pt -> pt[0]).toList(), "after warm-up and each epoch");
        assertEquals(Evaluator.accuracy(purified, test), cAcc.get(2)[1], 1e-9, "the probe saw the final polarizer");
        assertEquals(1.0, ctx.progress.get(ctx.progress.size() - 1), 0.0);
    }

    @Test
    void the_same_seed_gives_the_same_purified_model() throws Exception {
        EngineModel model = Tiny.cnn(33);
        var p = NpdParams.DESCRIPTOR.resolve(Map.of("epochs", 1, "warmupEpochs", 0, "batchSize", 16));
        DefenseData d = new DefenseData(data, null, "30 tiny images");
        INDArray a = defense.purify(model, d, p, new TestRunContext(4, null)).purified().logits(test.images());
        INDArray b = defense.purify(model, d, p, new TestRunContext(4, null)).purified().logits(test.images());
        assertEquals(a, b);
    }

    @Test
    void refuses_a_model_that_is_not_an_engine_model_naming_its_class() {
        Model foreign = new Model() {
            @Override
            public ModelInfo info() {
                return Tiny.cnn(1).info();
            }

            @Override
            public INDArray logits(INDArray images) {
                return images;
            }
        };
        var e = assertThrows(InvalidInputException.class, () -> defense.purify(foreign,
                new DefenseData(data, null, "tiny"), NpdParams.DESCRIPTOR.defaults(), new TestRunContext(1, null)));
        assertTrue(e.getMessage().contains(foreign.getClass().getName()), e.getMessage());
    }

    @Test
    void refuses_data_of_another_shape() {
        ImageSet wrong = new ImageSet(Tiny.images(1, 4).reshape(4, 1, 4, 16), new int[]{0, 1, 2, 0}, data.classNames());
        var e = assertThrows(InvalidInputException.class, () -> defense.purify(Tiny.cnn(1),
                new DefenseData(wrong, null, "wrong"), NpdParams.DESCRIPTOR.defaults(), new TestRunContext(1, null)));
        assertTrue(e.getMessage().contains("expects images"), e.getMessage());
    }
}
