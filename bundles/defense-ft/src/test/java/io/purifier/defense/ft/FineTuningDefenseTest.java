package io.purifier.defense.ft;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import io.purifier.testkit.RecordingRunContext;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FineTuningDefenseTest {

    private static final FineTuningDefense DEFENSE = new FineTuningDefense();
    private static EngineModel backdoored;
    private static ImageSet clean;

    @BeforeAll
    static void train_a_tiny_backdoored_model() {
        backdoored = TinyModels.backdooredCnn(31, false);
        clean = TinyData.quadrants(32, 60, TinyModels.SIZE, TinyModels.CLASSES);
    }

    @Test
    void declares_five_percent_labeled_clean_data() {
        assertEquals(DataContract.labeledClean(0.05), DEFENSE.dataContract());
        assertEquals("ft", DEFENSE.id());
    }

    @Test
    void one_epoch_of_one_batch_is_one_sgd_step_with_weight_decay_on_the_mean_cross_entropy() {
        EngineModel model = TinyModels.createDouble("small-cnn", Map.of("width", 2, "hidden", 5),
                TinyModels.spec(1, TinyModels.SIZE, TinyModels.CLASSES), 3);
        ImageSet data = TinyData.quadrants(4, 12, TinyModels.SIZE, TinyModels.CLASSES);
        Map<String, INDArray> g = new HashMap<>();
        try (LossPass pass = LossPass.run(model, data.images(), BnMode.TRAIN, model.trainableRequest(),
                Objective.crossEntropy(data.labels()))) {
            pass.parameterGradients().forEach((k, v) -> g.put(k, v.dup()));
        }
        ResolvedParams params = params(Map.of("epochs", 1, "batchSize", 12, "cropPadding", 0));

        EngineModel tuned = (EngineModel) DEFENSE.purify(model, labeled(data), params, RecordingRunContext.seeded(5)).purified();

        for (String p : model.parameterNames()) {
            INDArray w = model.array(p);
            // w' = w - lr (g + wd w), lr 0.01 (cosine at epoch 0), wd 5e-4; the momentum buffer starts at the gradient
            INDArray expected = w.sub(g.get(p).add(w.mul(5e-4)).mul(0.01));
            assertTrue(expected.equalsWithEps(tuned.array(p), 1e-12), p + ": " + expected + " vs " + tuned.array(p));
        }
    }

    @Test
    void fine_tunes_a_copy_with_cosine_learning_rates_curves_probe_and_summary() {
        RecordingRunContext ctx = RecordingRunContext.withProbe(7, m -> Map.of("C-ACC", Evaluator.accuracy(m, clean)));

        DefenseResult result = DEFENSE.purify(backdoored, labeled(clean), params(Map.of("epochs", 4, "batchSize", 16, "cropPadding", 1)), ctx);

        EngineModel tuned = (EngineModel) result.purified();
        assertNotEquals(backdoored.array("fc2/W"), tuned.array("fc2/W"));
        // lr_e = 0.01 * (1 + cos(pi e / 4)) / 2
        assertArrayEquals(new double[]{0.01, 0.0085355339, 0.005, 0.0014644661}, ctx.ys("train/lr"), 1e-10);
        assertArrayEquals(new double[]{1, 2, 3, 4}, ctx.xs("train/loss"), 0);
        assertArrayEquals(new double[]{0, 1, 2, 3, 4}, ctx.xs("test/C-ACC"), 0, "probe before and after every epoch");
        assertEquals(1.0, ctx.progress().get(ctx.progress().size() - 1), 0);
        Map<String, Object> s = result.summary();
        assertEquals(60, s.get("cleanImages"));
        assertEquals(4, s.get("epochs"));
        assertEquals(ctx.ys("train/loss")[3], (Double) s.get("finalTrainLoss"), 1e-12);
        assertTrue((Double) s.get("defenseDataAccuracyAfter") > 0.9, s.toString());
        assertTrue(tuned.properties().get("defense.ft").startsWith("fine-tuned 4 epochs on 60 clean images"));
    }

    @Test
    void another_seed_gives_other_weights() {
        ResolvedParams params = params(Map.of("epochs", 1, "batchSize", 16));
        EngineModel a = (EngineModel) DEFENSE.purify(backdoored, labeled(clean), params, RecordingRunContext.seeded(3)).purified();
        EngineModel c = (EngineModel) DEFENSE.purify(backdoored, labeled(clean), params, RecordingRunContext.seeded(4)).purified();
        assertNotEquals(a.array("conv1/W"), c.array("conv1/W"));
    }

    @Test
    void refuses_data_of_another_class_count_or_size_and_empty_data() {
        ImageSet fourClasses = TinyData.quadrants(1, 8, TinyModels.SIZE, 4);
        InvalidInputException classes = assertThrows(InvalidInputException.class,
                () -> DEFENSE.purify(backdoored, labeled(fourClasses), params(Map.of()), RecordingRunContext.seeded(1)));
        assertTrue(classes.getMessage().contains("4 classes but the model has 3"), classes.getMessage());
        ImageSet small = TinyData.quadrants(1, 8, 10, 3);
        InvalidInputException size = assertThrows(InvalidInputException.class,
                () -> DEFENSE.purify(backdoored, labeled(small), params(Map.of()), RecordingRunContext.seeded(1)));
        assertTrue(size.getMessage().contains("do not fit the model"), size.getMessage());
        ImageSet empty = clean.subset(new int[0]);
        assertTrue(assertThrows(InvalidInputException.class,
                () -> DEFENSE.purify(backdoored, labeled(empty), params(Map.of()), RecordingRunContext.seeded(1)))
                .getMessage().contains("is empty"));
    }

    static DefenseData labeled(ImageSet set) {
        return new DefenseData(set, null, set.size() + " clean test images");
    }

    static ResolvedParams params(Map<String, ?> raw) {
        return DEFENSE.parameters().resolve(raw);
    }

}
