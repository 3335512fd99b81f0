package io.purifier.engine.train;

import io.purifier.api.data.Augmentation;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.engine.TestModels;
import io.purifier.engine.autograd.Var;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Config, schedules, optimiser update rules and augmentation, each against hand-computed values. */
class TrainingPartsTest {

    @Test
    void defaults_are_the_small_cnn_recipe() {
        TrainingConfig d = TrainingConfig.defaults();
        assertEquals(new TrainingConfig("sgd", 0.01, 0.9, 5e-4, "cosine", 10, 128), d);
        assertEquals(d, TrainingConfig.from(TrainingConfig.DESCRIPTOR.resolve(Map.of())));
    }

    @Test
    void augmentation_follows_the_dataset_unless_switched_off() {
        Augmentation suggested = new Augmentation(2, true);
        assertEquals(suggested, TrainingConfig.augmentation(TrainingConfig.DESCRIPTOR.resolve(Map.of()), suggested));
        assertEquals(Augmentation.none(), TrainingConfig.augmentation(
                TrainingConfig.DESCRIPTOR.resolve(Map.of("augment", false)), suggested));
    }

    @Test
    void descriptor_names_a_bad_value() {
        var e = assertThrows(InvalidParametersException.class,
                () -> TrainingConfig.DESCRIPTOR.resolve(Map.of("optimizer", "rmsprop")));
        assertEquals("optimizer", e.parameter());
    }

    @Test
    void schedules_follow_their_formulas() {
        TrainingConfig cos = new TrainingConfig("sgd", 0.1, 0.9, 0, "cosine", 4, 8);
        assertEquals(0.1, cos.learningRateAt(0), 1e-15);
        assertEquals(0.05, cos.learningRateAt(2), 1e-15);
        assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI * 3 / 4)), cos.learningRateAt(3), 1e-15);
        TrainingConfig step = new TrainingConfig("sgd", 0.1, 0.9, 0, "step", 8, 8);
        assertEquals(0.1, step.learningRateAt(3), 1e-15);
        assertEquals(0.01, step.learningRateAt(4), 1e-15);
        assertEquals(0.001, step.learningRateAt(6), 1e-15);
    }

    private static EngineModel tiny() {
        return TestModels.create("small-cnn", Map.of("width", 1, "hidden", 2), TestModels.spec(1, 4, 2), 1);
    }

    @Test
    void sgd_with_momentum_and_weight_decay_matches_pytorch_update_rule() {
        EngineModel m = tiny();
        INDArray w0 = m.array("fc2/b").dup();
        INDArray g = Nd4j.create(new float[]{0.5f, -1.0f});
        Optimizer sgd = Optimizer.sgd(0.9, 0.1);
        sgd.step(m, Map.of("fc2/b", g), 0.2);
        INDArray d1 = g.add(w0.mul(0.1));
        INDArray w1 = w0.sub(d1.mul(0.2));
        assertEquals(w1, m.array("fc2/b"));
        sgd.step(m, Map.of("fc2/b", g), 0.2);
        INDArray buf = d1.mul(0.9).add(g.add(w1.mul(0.1)));
        assertEquals(w1.sub(buf.mul(0.2)), m.array("fc2/b"));
    }

    @Test
    void adam_first_step_moves_each_weight_by_the_learning_rate() {
        EngineModel m = tiny();
        INDArray w0 = m.array("fc2/b").dup();
        Optimizer.adam(0).step(m, Map.of("fc2/b", Nd4j.create(new float[]{0.3f, -2f})), 0.01);
        assertEquals(-0.01, m.array("fc2/b").getDouble(0) - w0.getDouble(0), 1e-6);
        assertEquals(0.01, m.array("fc2/b").getDouble(1) - w0.getDouble(1), 1e-6);
    }

    @Test
    void amsgrad_divides_by_the_largest_second_moment_seen() {
        // gradients 2 then 0: plain Adam's second moment shrinks to 0.999 * 0.004, AMSGrad keeps 0.004
        EngineModel ams = tiny();
        EngineModel adam = tiny();
        double w0 = ams.array("fc2/b").getDouble(0);
        Optimizer amsgrad = Optimizer.amsgrad(0);
        Optimizer plain = Optimizer.adam(0);
        for (float g : new float[]{2f, 0f}) {
            amsgrad.step(ams, Map.of("fc2/b", Nd4j.create(new float[]{g, 0f})), 0.01);
            plain.step(adam, Map.of("fc2/b", Nd4j.create(new float[]{g, 0f})), 0.01);
        }
        double first = 0.01 / 0.1 * 0.2 / (Math.sqrt(0.004 / 0.001) + 1e-8);
        double bias1 = 1 - 0.81;
        double bias2 = 1 - 0.999 * 0.999;
        double secondAms = 0.01 / bias1 * 0.18 / (Math.sqrt(0.004 / bias2) + 1e-8);
        double secondAdam = 0.01 / bias1 * 0.18 / (Math.sqrt(0.999 * 0.004 / bias2) + 1e-8);
        assertEquals(w0 - first - secondAms, ams.array("fc2/b").getDouble(0), 1e-6);
        assertEquals(w0 - first - secondAdam, adam.array("fc2/b").getDouble(0), 1e-6);
        assertTrue(secondAdam - secondAms > 1e-6, "the two rules differ measurably here");
    }

    @Test
    void augmentation_shifts_with_zero_fill_and_flips() {
        INDArray img = Nd4j.create(new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, new long[]{1, 1, 3, 3}, 'c');
        // find a seed whose first draws are dy=+1, dx=-1, flip=true
        Augmentation aug = new Augmentation(1, true);
        for (long seed = 0; seed < 1000; seed++) {
            Random probe = new Random(seed);
            int dy = probe.nextInt(3) - 1;
            int dx = probe.nextInt(3) - 1;
            boolean flip = probe.nextBoolean();
            if (dy == 1 && dx == -1 && flip) {
                INDArray out = BatchAugmenter.apply(img, aug, new Random(seed));
                // out[y][x] = in[y+1][(2-x)-1]
                float[] expected = {5, 4, 0, 8, 7, 0, 0, 0, 0};
                assertEquals(Nd4j.create(expected, new long[]{1, 1, 3, 3}, 'c'), out);
                return;
            }
        }
        throw new AssertionError("no suitable seed found");
    }

    @Test
    void no_augmentation_returns_the_batch_itself() {
        INDArray img = Nd4j.rand(2, 1, 3, 3);
        assertSame(img, BatchAugmenter.apply(img, Augmentation.none(), new Random(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"small-cnn", "preact-resnet18"})
    void train_step_returns_the_forward_logits_of_each_step(String architecture) {
        Map<String, Object> params = architecture.equals("small-cnn") ? Map.of("width", 2, "hidden", 4)
                : Map.of("widthMultiplier", 0.0625);
        EngineModel m = TestModels.create(architecture, params, TestModels.spec(3, 8, 3), 3);
        INDArray images = TestModels.randomImages(5, 6, 3, 8, 8);
        int[] labels = {0, 1, 2, 0, 1, 2};
        Optimizer sgd = Optimizer.sgd(0.9, 0);
        for (int step = 0; step < 3; step++) {
            INDArray expected = m.activations(images, BnMode.TRAIN, GraphNames.LOGITS).get(GraphNames.LOGITS);
            TrainStep.Result out = TrainStep.run(m, images, Objective.crossEntropy(labels), sgd, 0.5);
            assertTrue(expected.equalsWithEps(out.logits(), 1e-5), "step " + step + ": logits returned "
                    + out.logits() + " differ from the forward pass " + expected);
        }
    }

    @Test
    void a_loss_pass_frees_its_tape_once_the_network_has_the_gradients_and_keeps_the_pass_outputs() {
        EngineModel m = TestModels.create("small-cnn", Map.of("width", 2, "hidden", 4), TestModels.spec(3, 8, 3), 3);
        INDArray images = TestModels.randomImages(5, 6, 3, 8, 8);
        int[] labels = {0, 1, 2, 0, 1, 2};
        List<INDArray> made = new java.util.ArrayList<>();
        double[] seen = new double[1];
        Objective onALayer = (t, o) -> {
            Var attention = t.square(o.layer("pool1")).sum(1);
            made.add(attention.value());
            Var total = t.crossEntropy(o.logits(), labels).add(attention.mean());
            seen[0] = total.scalar();
            return total;
        };
        try (LossPass p = LossPass.run(m, images, BnMode.TRAIN, m.trainableRequest(), onALayer)) {
            assertTrue(made.get(0).wasClosed(), "the tape's arrays are freed when run returns");
            assertEquals(seen[0], p.loss(), 0.0);
            assertFalse(p.output("pool1").wasClosed(), "the pass's own outputs stay until the pass closes");
            assertFalse(p.logits().wasClosed());
            INDArray g = p.parameterGradients().get("conv1/W");
            assertTrue(g != null && g.norm2Number().doubleValue() > 0, "the layer's seed reached the parameters");
        }
    }
}
