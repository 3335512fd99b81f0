package io.purifier.defense.npd;

import io.purifier.engine.blocks.Freezing;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.testkit.TinyData;
import io.purifier.testkit.TinyModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolarizerAttackTest {

    private final EngineModel model = TinyModels.cnn(8, 3, 11);
    private final INDArray x = TinyData.noise(12, 16, 1, 8);

    PolarizerAttackTest() {
        Polarizer np = PolarizerInsertion.insert(model, "conv2", NpdParams.Placement.INPUT, 1);
        Freezing.freezeAllExcept(model, np.layers());
    }

    private static double meanTargetCe(INDArray logits, int[] targets) {
        double[][] z = logits.toDoubleMatrix();
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z[i]) {
                max = Math.max(max, v);
            }
            double lse = 0;
            for (double v : z[i]) {
                lse += Math.exp(v - max);
            }
            sum += -(z[i][targets[i]] - max - Math.log(lse));
        }
        return sum / z.length;
    }

    private int[] wrongTargets() {
        int[] pred = Evaluator.argMax(model.logits(x));
        int[] t = new int[pred.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = (pred[i] + 1 + i % 2) % 3;
        }
        return t;
    }

    @Test
    void l2_attack_stays_in_the_ball_and_moves_towards_the_target() {
        int[] targets = wrongTargets();
        AttackConfig cfg = new AttackConfig(AttackNorm.L2, 1.0, 0.1, 4, StepRule.SIGN, false, 1.0, 80);
        PolarizerAttack.Result r = PolarizerAttack.run(model, x, targets, cfg);
        assertEquals(4, r.steps(), "the early stop is disabled at fraction 1");
        for (double n : Perturbations.l2Norms(r.delta())) {
            assertTrue(n <= 1.0 + 1e-5, "delta norm " + n + " exceeds the radius 1.0");
        }
        for (double n : Perturbations.l2Norms(r.adversarial().sub(x))) {
            assertTrue(n <= 1.0 + 1e-5, "image change " + n + " exceeds the radius 1.0");
        }
        assertTrue(r.adversarial().minNumber().doubleValue() >= 0 && r.adversarial().maxNumber().doubleValue() <= 1);
        double before = meanTargetCe(model.logits(x), targets);
        double after = meanTargetCe(r.logits(), targets);
        assertTrue(after < before - 0.01, "target cross-entropy should fall: " + before + " -> " + after);
        assertEquals(0.0, r.logits().sub(model.logits(r.adversarial())).amaxNumber().doubleValue(), 1e-5,
                "the returned logits are the model's on the returned images");
    }

    @Test
    void linf_attack_with_max_init_stays_in_the_box() {
        int[] targets = wrongTargets();
        AttackConfig cfg = new AttackConfig(AttackNorm.LINF, 0.2, 0.44, 3, StepRule.SIGN, true, 1.0, 80);
        PolarizerAttack.Result r = PolarizerAttack.run(model, x, targets, cfg);
        assertTrue(r.delta().amaxNumber().doubleValue() <= 0.2 + 1e-6);
        double before = meanTargetCe(model.logits(x), targets);
        assertTrue(meanTargetCe(r.logits(), targets) < before, "target cross-entropy should fall");
    }

    @Test
    void stops_after_the_first_step_when_the_batch_already_hits_its_targets() {
        int[] targets = Evaluator.argMax(model.logits(x));
        AttackConfig cfg = new AttackConfig(AttackNorm.L2, 1.0, 0.1, 5, StepRule.SIGN, false, 0.6, 80);
        PolarizerAttack.Result r = PolarizerAttack.run(model, x, targets, cfg);
        assertEquals(1, r.steps());
        assertTrue(r.hitRate() > 0.6);
    }

    @Test
    void zero_steps_return_the_clean_images() {
        int[] targets = wrongTargets();
        AttackConfig cfg = new AttackConfig(AttackNorm.L2, 1.0, 0.1, 0, StepRule.SIGN, false, 0.6, 80);
        PolarizerAttack.Result r = PolarizerAttack.run(model, x, targets, cfg);
        assertEquals(0, r.steps());
        assertEquals(0.0, r.adversarial().sub(x).amaxNumber().doubleValue(), 0.0);
    }
}
