package io.purifier.defense.wiper;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.DataRoots;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelInfo;
import io.purifier.api.run.ReportingProbe;
import io.purifier.api.run.RunContext;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.LocalRunContext;
import io.purifier.engine.train.Trainer;
import io.purifier.engine.train.TrainingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole {@code purify} on a tiny backdoored small CNN (1x12x12, 3 classes). */
class WiperDefenseTest {

    private static final WiperDefense DEFENSE = new WiperDefense();
    private static EngineModel backdoored;
    private static ImageSet clean;

    @BeforeAll
    static void train_a_tiny_backdoored_model() {
        backdoored = TinyFixtures.zooModel("small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", true), 12, 5);
        Trainer.train(backdoored, TinyFixtures.quadrants(5, 150, 12, true), Augmentation.none(), null,
                new TrainingConfig("sgd", 0.05, 0.9, 5e-4, "cosine", 3, 30), LocalRunContext.quiet(5));
        clean = TinyFixtures.quadrants(6, 48, 12, false);
    }

    @Test
    void declares_labeled_clean_data_of_five_percent() {
        assertEquals(DataContract.labeledClean(0.05), DEFENSE.dataContract());
        assertEquals("wiper", DEFENSE.id());
    }

    @Test
    void purifies_a_copy_records_curves_and_summary_and_keeps_clean_accuracy() throws Exception {
        Map<String, double[]> before = TinyFixtures.parameters(backdoored);
        INDArray runningMeanBefore = backdoored.array("bn1/mean").dup();
        ProbingContext ctx = new ProbingContext(LocalRunContext.quiet(9), clean);

        DefenseResult result = DEFENSE.purify(backdoored, new DefenseData(clean, null, "tiny"),
                WiperParams.DESCRIPTOR.resolve(Map.of("epochs", 3, "batchSize", 16)), ctx);

        assertNotSame(backdoored, result.purified());
        List<String> untouched = TinyFixtures.changed(before, TinyFixtures.parameters(backdoored));
        assertTrue(untouched.isEmpty(), "the input model changed: " + untouched);
        EngineModel purified = (EngineModel) result.purified();
        List<String> changed = TinyFixtures.changed(before, TinyFixtures.parameters(purified));
        assertEquals(purified.parameterNames(), changed, "every parameter is fine-tuned");
        assertTrue(!runningMeanBefore.equals(purified.array("bn1/mean")), "BN running statistics update in TRAIN mode");

        Map<String, Object> s = result.summary();
        assertEquals("reference", s.get("variant"));
        assertEquals("highest-salience", s.get("selection"));
        assertEquals("fc2", s.get("purifyingLayers"));
        assertEquals(16L * 3 + 3, s.get("purifiedElements"));
        assertTrue((double) s.get("cleanAccuracyAfter") >= 0.9, "clean accuracy " + s.get("cleanAccuracyAfter"));
        assertEquals(Evaluator.accuracy(purified, clean), (double) s.get("cleanAccuracyAfter"), 1e-12);

        LocalRunContext local = ctx.local;
        assertEquals(3, local.curve("loss/penalty").size());
        assertEquals(3, local.curve("loss/cross-entropy").size());
        assertEquals(4, local.curve("clean/accuracy").size(), "epoch 0 plus every epoch");
        assertEquals(4, local.curve("test/C-ACC").size(), "the reporting probe runs before and after every epoch");
        assertEquals(4, ctx.probeCalls.get());
        assertArrayEquals(new double[]{0.5 + 0.5 / 3, 0.5 + 1.0 / 3, 1.0},
                local.curve("selection/fraction").stream().mapToDouble(p -> p[1]).toArray(), 1e-12);
        assertEquals(1.0, ctx.local.lastProgress(), 1e-12);
    }

    @Test
    void the_same_seed_gives_identical_weights() throws Exception {
        var params = WiperParams.DESCRIPTOR.resolve(Map.of("epochs", 1, "batchSize", 16, "variant", "corrected",
                "selection", "lowest-abs-salience", "layers", "classifier, last-conv"));
        DataHolder data = new DataHolder();
        Model a = DEFENSE.purify(backdoored, data.data, params, LocalRunContext.quiet(4)).purified();
        Model b = DEFENSE.purify(backdoored, data.data, params, LocalRunContext.quiet(4)).purified();
        assertTrue(TinyFixtures.changed(TinyFixtures.parameters((EngineModel) a), TinyFixtures.parameters((EngineModel) b))
                .isEmpty());
    }

    @Test
    void a_strong_corrected_penalty_shrinks_the_purifying_layer() throws Exception {
        DefenseResult r = DEFENSE.purify(backdoored, new DefenseData(clean, null, "tiny"),
                WiperParams.DESCRIPTOR.resolve(Map.of("epochs", 1, "batchSize", 16, "variant", "corrected",
                        "alpha", 1.0)), LocalRunContext.quiet(3));
        double l1Before = (double) r.summary().get("purifyingL1Before");
        double l1After = (double) r.summary().get("purifyingL1After");
        assertTrue(l1After < 0.9 * l1Before, "L1 " + l1Before + " -> " + l1After);
    }

    @Test
    void refuses_a_model_that_is_not_an_engine_model() {
        Model foreign = new Model() {
            @Override
            public ModelInfo info() {
                return backdoored.info();
            }

            @Override
            public INDArray logits(INDArray images) {
                return backdoored.logits(images);
            }
        };
        var e = assertThrows(InvalidInputException.class, () -> DEFENSE.purify(foreign,
                new DefenseData(clean, null, "tiny"), WiperParams.DESCRIPTOR.defaults(), LocalRunContext.quiet(1)));
        assertTrue(e.getMessage().contains("engine model"), e.getMessage());
    }

    @Test
    void refuses_data_with_another_number_of_classes() {
        ImageSet twoClasses = new ImageSet(clean.images(), new int[clean.size()], List.of("a", "b"));
        var e = assertThrows(InvalidInputException.class, () -> DEFENSE.purify(backdoored,
                new DefenseData(twoClasses, null, "tiny"), WiperParams.DESCRIPTOR.defaults(), LocalRunContext.quiet(1)));
        assertTrue(e.getMessage().contains("2 classes"), e.getMessage());
    }

    /** The clean data as the host would hand it over. */
    private static final class DataHolder {
        final DefenseData data = new DefenseData(clean, null, "tiny clean data");
    }

    /** A local context with a reporting probe measuring accuracy on a fixed set. */
    private static final class ProbingContext implements RunContext {
        final LocalRunContext local;
        final AtomicInteger probeCalls = new AtomicInteger();
        private final ImageSet test;

        ProbingContext(LocalRunContext local, ImageSet test) {
            this.local = local;
            this.test = test;
        }

        @Override
        public long seed() {
            return local.seed();
        }

        @Override
        public Random newRandom() {
            return local.newRandom();
        }

        @Override
        public Path artifactDir() {
            return local.artifactDir();
        }

        @Override
        public void progress(double fraction, String message) {
            local.progress(fraction, message);
        }

        @Override
        public boolean isCancelled() {
            return local.isCancelled();
        }

        @Override
        public void checkCancelled() {
            local.checkCancelled();
        }

        @Override
        public void log(String message) {
            local.log(message);
        }

        @Override
        public void warn(String message) {
            local.warn(message);
        }

        @Override
        public void curve(String series, double x, double y) {
            local.curve(series, x, y);
        }

        @Override
        public DataRoots dataRoots() {
            return local.dataRoots();
        }

        @Override
        public Optional<ReportingProbe> reportingProbe() {
            return Optional.of(model -> {
                probeCalls.incrementAndGet();
                return Map.of("C-ACC", Evaluator.accuracy(model, test));
            });
        }
    }
}
