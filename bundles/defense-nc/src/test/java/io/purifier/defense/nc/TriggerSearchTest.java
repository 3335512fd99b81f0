package io.purifier.defense.nc;

import io.purifier.api.data.ImageSet;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.GradientRequest;
import io.purifier.engine.train.LossPass;
import io.purifier.engine.train.Objective;
import io.purifier.testkit.RecordingRunContext;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TriggerSearchTest {

    private static final int TARGET = 2;
    private static final double COST = 1e-3;

    @Test
    void the_first_adam_step_moves_every_raw_value_against_the_sign_of_the_numerical_loss_gradient() {
        EngineModel model = TinyModels.createDouble("small-cnn", Map.of("width", 6, "hidden", 8),
                TinyModels.spec(1, 8, 3), 11);
        ImageSet clean = TinyData.quadrants(8, 6, 8, 3);
        ImageSet data = new ImageSet(clean.images().castTo(DataType.DOUBLE), clean.labels(), clean.classNames());
        NcParams p = NcParams.from(NcParams.DESCRIPTOR.resolve(Map.of("searchEpochs", 1, "batchSize", 6,
                "cropPadding", 0, "initCost", COST)));
        RecordingRunContext ctx = RecordingRunContext.seeded(1);

        TriggerSearch.Result r = TriggerSearch.run(model, data, TARGET, p, new Random(3), ctx, f -> { });

        int plane = 64;
        double[] raw = new double[2 * plane];
        Arrays.fill(raw, 1.0);
        int checked = 0;
        int checkedPattern = 0;
        for (int i = 0; i < raw.length; i++) {
            double h = 1e-5;
            double[] plus = raw.clone();
            double[] minus = raw.clone();
            plus[i] += h;
            minus[i] -= h;
            double g = (loss(model, data, plus) - loss(model, data, minus)) / (2 * h);
            // below 1e-4 the cross-entropy and norm terms nearly cancel, and a central difference across ReLU and
            // pooling kinks is not precise enough to predict Adam's first step there
            if (Math.abs(g) < 1e-4) {
                continue;
            }
            checked++;
            checkedPattern += i < plane ? 0 : 1;
            // Adam's first step is lr * g / (|g| + 1e-8): m / (1 - b1) = g and sqrt(v / (1 - b2)) = |g|
            double expected = Trigger.squash(new double[]{1 - 0.1 * g / (Math.abs(g) + 1e-8)}, 1e-7)[0];
            double actual = i < plane ? r.trigger().mask()[i] : r.trigger().pattern()[i - plane];
            assertEquals(expected, actual, 1e-6, (i < plane ? "mask " : "pattern ") + (i % plane) + ", gradient " + g);
        }
        assertTrue(checked > 80 && checkedPattern > 20, "checked " + checked + " of 128 values, " + checkedPattern + " of the pattern");
        assertEquals(1, r.epochs());
        assertArrayEquals(new double[]{1}, ctx.xs("search/mask norm (class 2)"), 0);
        assertEquals(64 * Trigger.squash(new double[]{1}, 1e-7)[0], ctx.ys("search/mask norm (class 2)")[0], 1e-9,
                "the epoch's norm is the norm before its update");
    }

    /** CE(model(stamp(x)), target) + COST * ||m||_1 at raw mask values {@code raw[0..63]} and pattern {@code raw[64..]}. */
    private static double loss(EngineModel model, ImageSet data, double[] raw) {
        Trigger t = new Trigger(1, 8, 8, Trigger.squash(Arrays.copyOfRange(raw, 0, 64), 1e-7),
                Trigger.squash(Arrays.copyOfRange(raw, 64, 128), 1e-7));
        int[] targets = new int[data.size()];
        Arrays.fill(targets, TARGET);
        try (LossPass pass = LossPass.run(model, t.stamp(data.images()), BnMode.EVAL, GradientRequest.NONE,
                Objective.crossEntropy(targets), false)) {
            return pass.loss() + COST * t.norm(true);
        }
    }
}
