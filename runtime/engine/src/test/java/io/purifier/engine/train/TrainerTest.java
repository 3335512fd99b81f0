package io.purifier.engine.train;

import io.purifier.api.attack.TrainingBatch;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunCancelledException;
import io.purifier.engine.TestModels;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.BatchNormLayer;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.LocalRunContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End-to-end training on tiny synthetic data. */
class TrainerTest {

    private static final TrainingConfig QUICK = new TrainingConfig("sgd", 0.05, 0.9, 5e-4, "cosine", 3, 32);

    private static EngineModel bnCnn(long seed) {
        return TestModels.create("small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", true),
                TestModels.spec(1, 12, 3), seed);
    }

    @Test
    void a_tiny_cnn_learns_the_quadrant_task_well_above_chance() {
        ImageSet train = TestModels.quadrants(1, 240, 12, 3);
        ImageSet test = TestModels.quadrants(2, 120, 12, 3);
        EngineModel model = TestModels.create("small-cnn", Map.of("width", 4, "hidden", 16), TestModels.spec(1, 12, 3), 3);
        double before = Evaluator.accuracy(model, test);
        LocalRunContext ctx = LocalRunContext.quiet(7).withProbe(m -> Map.of("C-ACC", Evaluator.accuracy(m, test)));
        TrainingReport report = Trainer.train(model, train, Augmentation.none(), null, QUICK, ctx);
        double after = Evaluator.accuracy(model, test);
        assertTrue(after > 0.9, "test accuracy after training " + after + " (before " + before + ")");
        assertTrue(report.last().loss() < report.epochs().get(0).loss(), "loss did not fall: " + report.epochs());
        assertEquals(3, ctx.curve("train/loss").size());
        assertEquals(3, ctx.curve("train/accuracy").size());
        assertTrue(ctx.curve("train/accuracy").get(2)[1] > 0.8,
                "the running training accuracy must reflect what the model learned: "
                        + ctx.curve("train/accuracy").stream().map(p -> p[1]).toList());
        assertEquals(3, ctx.curve("test/C-ACC").size());
        assertEquals(after, ctx.curve("test/C-ACC").get(2)[1], 1e-12);
        assertEquals(1.0, ctx.lastProgress(), 1e-12);
    }

    @Test
    void same_seed_gives_bit_identical_weights_and_running_stats() {
        ImageSet train = TestModels.quadrants(3, 96, 12, 3);
        Augmentation aug = new Augmentation(2, true);
        TrainingConfig cfg = QUICK.withEpochs(2);
        EngineModel a = bnCnn(5);
        EngineModel b = bnCnn(5);
        EngineModel c = bnCnn(5);
        Trainer.train(a, train, aug, null, cfg, LocalRunContext.quiet(11));
        Trainer.train(b, train, aug, null, cfg, LocalRunContext.quiet(11));
        Trainer.train(c, train, aug, null, cfg, LocalRunContext.quiet(12));
        for (String p : a.parameterNames()) {
            assertEquals(a.array(p), b.array(p), p);
        }
        for (BatchNormLayer bn : a.batchNormLayers()) {
            assertEquals(a.array(bn.runningMean()), b.array(bn.runningMean()));
            assertEquals(a.array(bn.runningVar()), b.array(bn.runningVar()));
        }
        assertNotEquals(a.array("conv1/W"), c.array("conv1/W"), "another seed should shuffle differently");
    }

    @Test
    void batch_norm_running_stats_follow_the_data_with_pytorch_momentum() {
        ImageSet train = TestModels.quadrants(4, 64, 12, 3);
        EngineModel model = bnCnn(6);
        // one step with lr ~ 0: running stats move 10% of the way from (0, 1) to the batch statistics
        TrainingConfig oneStep = new TrainingConfig("sgd", 1e-7, 0.0, 0.0, "constant", 1, 64);
        INDArray x = train.images();
        INDArray conv = model.activations(x, io.purifier.engine.model.BnMode.EVAL, "conv1").get("conv1");
        Trainer.train(model, train, Augmentation.none(), null, oneStep, LocalRunContext.quiet(1));
        INDArray expectedMean = conv.mean(0, 2, 3).mul(0.1);
        double n = 64.0 * 12 * 12;
        INDArray expectedVar = conv.var(false, 0, 2, 3).mul(0.1 * n / (n - 1)).add(0.9);
        assertTrue(expectedMean.equalsWithEps(model.array("bn1/mean"), 1e-5), model.array("bn1/mean") + " vs " + expectedMean);
        assertTrue(expectedVar.equalsWithEps(model.array("bn1/var"), 1e-5), model.array("bn1/var") + " vs " + expectedVar);
    }

    @Test
    void hook_sees_augmented_unnormalized_batches_and_its_labels_are_trained_on() {
        ImageSet train = TestModels.quadrants(5, 96, 12, 3);
        EngineModel model = TestModels.create("small-cnn", Map.of("width", 4, "hidden", 16), TestModels.spec(1, 12, 3), 8);
        AtomicInteger calls = new AtomicInteger();
        List<Double> minima = new ArrayList<>();
        Trainer.train(model, train, new Augmentation(1, false), (TrainingBatch batch, java.util.Random rng) -> {
            calls.incrementAndGet();
            minima.add(batch.images().minNumber().doubleValue());
            int[] allZero = new int[batch.size()];
            return new TrainingBatch(batch.images(), allZero, batch.indices());
        }, QUICK, LocalRunContext.quiet(2));
        assertEquals(3 * 3, calls.get());
        // zero padding shows up as exact zeros only after augmentation (the raw data is >= 0.1)
        assertTrue(minima.stream().anyMatch(m -> m == 0.0), "no batch contained padding zeros: " + minima);
        int[] predicted = Evaluator.predict(model, TestModels.quadrants(6, 30, 12, 3).images());
        for (int p : predicted) {
            assertEquals(0, p);
        }
    }

    @Test
    void frozen_parameters_do_not_change() {
        ImageSet train = TestModels.quadrants(7, 64, 12, 3);
        EngineModel model = bnCnn(9);
        model.freeze(List.of("conv1/W", "bn1/gamma"));
        INDArray w = model.array("conv1/W").dup();
        INDArray g = model.array("bn1/gamma").dup();
        INDArray fc = model.array("fc2/W").dup();
        Trainer.train(model, train, Augmentation.none(), null, QUICK.withEpochs(1), LocalRunContext.quiet(3));
        assertEquals(w, model.array("conv1/W"));
        assertEquals(g, model.array("bn1/gamma"));
        assertNotEquals(fc, model.array("fc2/W"));
    }

    @Test
    void cancellation_stops_between_batches() {
        ImageSet train = TestModels.quadrants(8, 64, 12, 3);
        EngineModel model = bnCnn(10);
        LocalRunContext ctx = LocalRunContext.quiet(4);
        ctx.cancel("cancelled by test");
        var e = assertThrows(RunCancelledException.class,
                () -> Trainer.train(model, train, Augmentation.none(), null, QUICK, ctx));
        assertEquals("cancelled by test", e.getMessage());
    }

    @Test
    void rejects_data_of_another_shape() {
        ImageSet wrong = new ImageSet(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 1, 10, 10),
                new int[]{0, 1, 2, 0}, List.of("a", "b", "c"));
        var e = assertThrows(io.purifier.api.InvalidInputException.class,
                () -> Trainer.train(bnCnn(1), wrong, Augmentation.none(), null, QUICK, LocalRunContext.quiet(1)));
        assertTrue(e.getMessage().contains("1x10x10") && e.getMessage().contains("1x12x12"), e.getMessage());
    }
}
