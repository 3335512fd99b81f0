package io.purifier.defense.clp;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.TestModels;
import io.purifier.engine.blocks.ChannelMask;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.LocalRunContext;
import io.purifier.engine.train.Trainer;
import io.purifier.engine.train.TrainingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CLP on a small CNN trained on the quadrant task, with one conv2 channel made to stand out without changing the
 * function: its kernel and bias are multiplied by 50 and the fc1 weights that read it divided by 50 (ReLU and max
 * pooling are positively homogeneous), which is how a trigger channel looks to CLP: a much larger gain.
 */
class ClpDefenseTest {

    private static final ClpDefense DEFENSE = new ClpDefense();
    private static final int PLANTED = 5;
    private static EngineModel model;
    private static ImageSet check;

    @BeforeAll
    static void train_and_plant() {
        ImageSet train = TestModels.quadrants(31, 240, 12, 3);
        check = TestModels.quadrants(32, 90, 12, 3);
        model = TestModels.create("small-cnn", Map.of("width", 8, "hidden", 16), TestModels.spec(1, 12, 3), 31);
        Trainer.train(model, train, Augmentation.none(), null, new TrainingConfig("sgd", 0.05, 0.9, 5e-4, "cosine", 4, 32),
                LocalRunContext.quiet(31));
        INDArray before = model.logits(check.images());
        INDArray w = model.array("conv2/W");
        for (int i = 0; i < w.size(1); i++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 3; x++) {
                    w.putScalar(new long[]{PLANTED, i, y, x}, w.getDouble(PLANTED, i, y, x) * 50);
                }
            }
        }
        INDArray b = model.array("conv2/b");
        b.putScalar(PLANTED, b.getDouble(PLANTED) * 50);
        INDArray fc1 = model.array("fc1/W");
        int perChannel = 3 * 3;
        for (int r = PLANTED * perChannel; r < (PLANTED + 1) * perChannel; r++) {
            for (int c = 0; c < fc1.size(1); c++) {
                fc1.putScalar(new long[]{r, c}, fc1.getDouble(r, c) / 50);
            }
        }
        INDArray after = model.logits(check.images());
        assertTrue(before.equalsWithEps(after, 1e-3), "planting keeps the function");
        assertTrue(Evaluator.accuracy(model, check) > 0.9, "the tiny model learnt the task");
    }

    @Test
    void is_data_free() {
        assertEquals(DataContract.none(), DEFENSE.dataContract());
        assertEquals("clp", DEFENSE.id());
    }

    @Test
    void prunes_exactly_the_planted_channel() {
        LocalRunContext ctx = LocalRunContext.quiet(1);
        DefenseResult r = DEFENSE.purify(model, none(), params(Map.of("u", 2.5, "uSteps", 0)), ctx);
        EngineModel pruned = (EngineModel) r.purified();
        boolean[] keep = ChannelMask.keep(pruned, "conv2");
        for (int k = 0; k < keep.length; k++) {
            assertEquals(k != PLANTED, keep[k], "conv2 channel " + k);
        }
        assertArrayEquals(new boolean[]{true, true, true, true, true, true, true, true}, ChannelMask.keep(pruned, "conv1"),
                "8 channels can never exceed mean + 2.5 std (the largest possible z-score is 7/sqrt(8))");
        assertEquals(1, r.summary().get("prunedChannels"));
        assertEquals(1, r.summary().get("pruned.conv2"));
        assertEquals(2, r.summary().get("convolutions"));
        assertEquals(24, r.summary().get("channels"));
        assertTrue(ctx.logLines().stream().anyMatch(l -> l.startsWith("clp: conv2 (mask after conv2): 16 channels")
                && l.endsWith("pruned [" + PLANTED + "]")), ctx.logLines().toString());
    }

    @Test
    void the_default_threshold_prunes_the_planted_channel_as_well() {
        DefenseResult r = DEFENSE.purify(model, none(), params(Map.of("uSteps", 0)), LocalRunContext.quiet(1));
        assertEquals(1, r.summary().get("prunedChannels"));
        assertTrue(Evaluator.accuracy(r.purified(), check) > 0.6, "one of 16 conv2 channels gone");
    }

    @Test
    void each_sweep_point_s_copy_gives_its_pooled_arrays_back_at_once() throws ReflectiveOperationException {
        // a copy's buffer pool holds the activations of its evaluation; left to the garbage collector, which a
        // data-free defense may not trigger for a long time, the sweep's copies held 5 GB for the small CNN
        List<EngineModel> probed = new java.util.ArrayList<>();
        LocalRunContext ctx = LocalRunContext.quiet(1).withProbe(m -> {
            probed.add((EngineModel) m);
            return Map.of("C-ACC", Evaluator.accuracy(m, check));
        });
        DEFENSE.purify(model, none(), params(Map.of("u", 2.5)), ctx);
        assertEquals(21, probed.size());
        java.lang.reflect.Field pool = EngineModel.class.getDeclaredField("pool");
        pool.setAccessible(true);
        for (EngineModel m : probed) {
            assertEquals(0, ((io.purifier.engine.tensor.BufferPool) pool.get(m)).freeBytes(), "a probed copy's pool");
        }
        Evaluator.accuracy(probed.get(0), check);
        assertTrue(((io.purifier.engine.tensor.BufferPool) pool.get(probed.get(0))).freeBytes() > 0,
                "an evaluation does fill the pool (so the check above can fail)");
    }

    @Test
    void sweeps_the_thresholds_for_the_report_and_keeps_the_chosen_one() {
        int[] probes = {0};
        LocalRunContext ctx = LocalRunContext.quiet(1).withProbe(m -> {
            probes[0]++;
            return Map.of("C-ACC", Evaluator.accuracy(m, check));
        });
        DefenseResult r = DEFENSE.purify(model, none(), params(Map.of("u", 2.5)), ctx);
        List<double[]> pruned = ctx.curve("pruned channels/by u");
        assertEquals(21, pruned.size());
        assertEquals(0.0, pruned.get(0)[0], 0);
        assertEquals(0.5, pruned.get(1)[0], 1e-12);
        assertEquals(10.0, pruned.get(20)[0], 0);
        for (int i = 1; i < pruned.size(); i++) {
            assertTrue(pruned.get(i)[1] <= pruned.get(i - 1)[1], "a higher threshold prunes no more");
        }
        assertTrue(pruned.get(0)[1] >= 4, "u = 0 prunes every channel above its layer's mean");
        assertEquals(0.0, pruned.get(20)[1], 0);
        assertEquals(21, probes[0]);
        assertEquals(21, ctx.curve("test by u/C-ACC").size());
        assertEquals(1, r.summary().get("prunedChannels"), "the result uses u, not the sweep");
    }

    @Test
    void refuses_what_it_cannot_prune_or_must_not_see() {
        EngineModel linear = TestModels.linear(new double[][]{{1, 0}}, new double[]{0, 0});
        InvalidInputException noConv = assertThrows(InvalidInputException.class,
                () -> DEFENSE.purify(linear, none(), params(Map.of()), LocalRunContext.quiet(1)));
        assertTrue(noConv.getMessage().contains("has no convolution"), noConv.getMessage());
        DefenseData labeled = new DefenseData(check, null, "90 clean labeled images");
        InvalidInputException data = assertThrows(InvalidInputException.class,
                () -> DEFENSE.purify(model, labeled, params(Map.of()), LocalRunContext.quiet(1)));
        assertTrue(data.getMessage().contains("data-free and refuses data") && data.getMessage().contains("90 clean"),
                data.getMessage());
    }

    private static DefenseData none() {
        return new DefenseData(null, null, "none");
    }

    private static ResolvedParams params(Map<String, ?> raw) {
        return DEFENSE.parameters().resolve(raw);
    }
}
