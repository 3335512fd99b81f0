package io.purifier.engine.blocks;

import io.purifier.api.data.ImageSet;
import io.purifier.engine.TestModels;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PGD bounds, effect on a trained model, targeting and early stopping. */
class PgdTest {

    private static EngineModel model;
    private static ImageSet test;

    @BeforeAll
    static void train() {
        model = TestModels.trainedQuadrantCnn(21);
        test = TestModels.quadrants(22, 90, 12, 3);
        assertTrue(Evaluator.accuracy(model, test) > 0.9);
    }

    @Test
    void linf_perturbation_stays_in_the_ball_and_in_pixel_range() {
        INDArray adv = Pgd.perturb(model, test.images(), test.labels(), PgdConfig.linf(0.05, 0.02, 5),
                EarlyStop.never(), new Random(1)).images();
        double maxDelta = Transforms.abs(adv.sub(test.images())).maxNumber().doubleValue();
        assertTrue(maxDelta <= 0.05 + 1e-6, "max |delta| " + maxDelta);
        assertTrue(adv.minNumber().doubleValue() >= 0 && adv.maxNumber().doubleValue() <= 1);
        assertTrue(maxDelta > 0.04, "the attack should use its budget, max |delta| " + maxDelta);
    }

    @Test
    void untargeted_linf_pgd_breaks_the_trained_model() {
        INDArray adv = Pgd.perturb(model, test.images(), test.labels(), PgdConfig.linf(0.3, 0.05, 10),
                EarlyStop.never(), new Random(2)).images();
        double acc = Evaluator.accuracy(Evaluator.predict(model, adv), test.labels());
        assertTrue(acc < 0.1, "robust accuracy " + acc);
    }

    @Test
    void targeted_pgd_reaches_the_target() {
        int[] targets = test.labels();
        for (int i = 0; i < targets.length; i++) {
            targets[i] = (targets[i] + 1) % 3;
        }
        INDArray adv = Pgd.perturb(model, test.images(), targets, PgdConfig.linf(0.3, 0.05, 10).asTargeted(),
                EarlyStop.never(), new Random(3)).images();
        double hit = Evaluator.accuracy(Evaluator.predict(model, adv), targets);
        assertTrue(hit > 0.9, "target hit rate " + hit);
    }

    @Test
    void l2_perturbation_respects_its_radius_and_hurts() {
        double eps = 2.0;
        INDArray adv = Pgd.perturb(model, test.images(), test.labels(), PgdConfig.l2(eps, 0.5, 10),
                EarlyStop.never(), new Random(4)).images();
        INDArray norms = adv.sub(test.images()).norm2(1, 2, 3);
        assertTrue(norms.maxNumber().doubleValue() <= eps + 1e-4, "max L2 " + norms.maxNumber());
        double acc = Evaluator.accuracy(Evaluator.predict(model, adv), test.labels());
        assertTrue(acc < 0.5, "robust accuracy " + acc);
    }

    @Test
    void early_stop_freezes_samples_once_they_are_misclassified() {
        PgdConfig cfg = PgdConfig.linf(0.3, 0.02, 20).withoutRandomStart();
        // stop once another class wins by a clear margin, so float noise cannot flip the final prediction
        EarlyStop clearlyWrong = (step, logits, labels) -> {
            boolean[] done = new boolean[labels.length];
            for (int i = 0; i < labels.length; i++) {
                double own = logits.getDouble(i, labels[i]);
                double best = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < logits.size(1); k++) {
                    if (k != labels[i]) {
                        best = Math.max(best, logits.getDouble(i, k));
                    }
                }
                done[i] = best > own + 0.5;
            }
            return done;
        };
        PgdResult r = Pgd.perturb(model, test.images(), test.labels(), cfg, clearlyWrong, new Random(5));
        int[] pred = Evaluator.predict(model, r.images());
        int stoppedEarly = 0;
        for (int i = 0; i < pred.length; i++) {
            if (r.stepsTaken()[i] < cfg.steps()) {
                stoppedEarly++;
                assertNotEquals(test.label(i), pred[i], "sample " + i + " stopped but is still correct");
            }
        }
        assertTrue(stoppedEarly > 0);
        PgdResult full = Pgd.perturb(model, test.images(), test.labels(), cfg, EarlyStop.never(), new Random(5));
        double earlyMean = Transforms.abs(r.images().sub(test.images())).meanNumber().doubleValue();
        double fullMean = Transforms.abs(full.images().sub(test.images())).meanNumber().doubleValue();
        assertTrue(earlyMean < fullMean, "early-stopped perturbation " + earlyMean + " vs full " + fullMean);
    }

    @Test
    void on_success_stop_compares_predictions_with_labels_or_targets() {
        INDArray logits = org.nd4j.linalg.factory.Nd4j.create(new double[][]{{2, 1, 0}, {0, 3, 1}});
        int[] labels = {0, 0};
        assertEquals("[false, true]", java.util.Arrays.toString(EarlyStop.onSuccess(false).done(0, logits, labels)));
        assertEquals("[true, false]", java.util.Arrays.toString(EarlyStop.onSuccess(true).done(0, logits, labels)));
        assertEquals("[false, false]", java.util.Arrays.toString(EarlyStop.never().done(0, logits, labels)));
    }

    @Test
    void zero_epsilon_changes_nothing_and_runs_are_reproducible() {
        INDArray same = Pgd.perturb(model, test.images(), test.labels(), PgdConfig.linf(0, 0.1, 3),
                EarlyStop.never(), new Random(6)).images();
        assertEquals(test.images(), same);
        INDArray a = Pgd.perturb(model, test.images(), test.labels(), PgdConfig.l2(1, 0.3, 3), EarlyStop.never(), new Random(7)).images();
        INDArray b = Pgd.perturb(model, test.images(), test.labels(), PgdConfig.l2(1, 0.3, 3), EarlyStop.never(), new Random(7)).images();
        assertEquals(a, b);
    }
}
