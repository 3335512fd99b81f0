package io.purifier.defense.sau;

import io.purifier.engine.autograd.Tape;
import io.purifier.engine.autograd.Var;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** SAU's attack and unlearning losses against hand-computed values, and the unlearning gradient against differences. */
class SauLossesTest {

    private static INDArray rows(double[]... r) {
        double[] flat = new double[r.length * r[0].length];
        for (int i = 0; i < r.length; i++) {
            System.arraycopy(r[i], 0, flat, i * r[0].length, r[0].length);
        }
        return Nd4j.create(flat, new long[]{r.length, r[0].length}, DataType.DOUBLE);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void the_attack_loss_weighs_the_unfooled_cross_entropy_and_the_jensen_shannon_divergence() {
        // model (2, 0) still says 0 = label: its CE counts; original (0, 1) is fooled: its CE does not
        Tape t = new Tape();
        SauLosses.Attack a = SauLosses.attack(t, t.leaf(rows(new double[]{2, 0})), t.leaf(rows(new double[]{0, 1})),
                new int[]{0}, new boolean[]{true}, new boolean[]{false}, new boolean[]{true}, 0.01, 1.0);
        double adv = -Math.log(1 + Math.exp(-2)) / 2;
        double[] p = {sigmoid(2), sigmoid(-2)};
        double[] q = {sigmoid(-1), sigmoid(1)};
        double js = 0;
        for (int c = 0; c < 2; c++) {
            double m = (p[c] + q[c]) / 2;
            js += 0.5 * (p[c] * Math.log(p[c]) + q[c] * Math.log(q[c])) - 0.5 * (p[c] + q[c]) * Math.log(m);
        }
        assertEquals(adv, a.adversarial().scalar(), 1e-12);
        assertEquals(js, a.share().scalar(), 1e-12);
        assertEquals(0.01 * adv + js, a.total().scalar(), 1e-12);
    }

    @Test
    void shared_adversarial_examples_leave_the_attack_loss() {
        Tape t = new Tape();
        SauLosses.Attack a = SauLosses.attack(t, t.leaf(rows(new double[]{0, 3})), t.leaf(rows(new double[]{0, 2})),
                new int[]{0}, new boolean[]{false}, new boolean[]{false}, new boolean[]{false}, 0.01, 1.0);
        assertEquals(0.0, a.total().scalar(), 0);
    }

    @Test
    void the_unlearning_loss_pushes_the_perturbed_image_off_the_originals_class() {
        // one image: clean logits (1, 0, 0), label 0; perturbed (0, 2, 0), where the original says class 1
        Tape t = new Tape();
        SauLosses.Unlearning u = SauLosses.unlearning(t, t.leaf(rows(new double[]{1, 0, 0}, new double[]{0, 2, 0})),
                new int[]{0}, new int[]{1}, new boolean[]{true}, 1.0, 0.5, 1.0);
        double e = Math.E;
        double clean = Math.log(e + 2) - 1;
        double adversarial = Math.log(e * e + 2);
        double pos = e * e / (e * e + 2);
        double neg = 2 / (e * e + 2);
        double shared = (-Math.log(1e-6 + neg) - Math.log(1 + 1e-6 - pos)) / 2;
        assertEquals(clean, u.clean().scalar(), 1e-12);
        assertEquals(adversarial, u.adversarial().scalar(), 1e-12);
        assertEquals(shared, u.shared().scalar(), 1e-9);
        assertEquals(clean + 0.5 * adversarial + shared, u.total().scalar(), 1e-9);
    }

    @Test
    void without_potential_poison_the_shared_risk_is_zero_and_the_clamps_hold() {
        Tape t = new Tape();
        SauLosses.Unlearning none = SauLosses.unlearning(t, t.leaf(rows(new double[]{1, 0}, new double[]{0, 2})),
                new int[]{0}, new int[]{1}, new boolean[]{false}, 1, 0, 1);
        assertEquals(0.0, none.shared().scalar(), 0);
        // the original's class at probability ~1: 1 - p_t is clamped to... nothing; p_t is clamped to 0.999 from above
        Tape t2 = new Tape();
        SauLosses.Unlearning sure = SauLosses.unlearning(t2, t2.leaf(rows(new double[]{1, 0}, new double[]{0, 40})),
                new int[]{0}, new int[]{1}, new boolean[]{true}, 0, 0, 1);
        double neg = 1 / (1 + Math.exp(40));
        assertEquals((-Math.log(1e-6 + neg) - Math.log(1 + 1e-6 - 1.0)) / 2, sure.shared().scalar(), 1e-6);
        // a perturbed image far from the original's class: 1 - p_t above 0.999 is clamped there
        Tape t3 = new Tape();
        SauLosses.Unlearning far = SauLosses.unlearning(t3, t3.leaf(rows(new double[]{1, 0}, new double[]{40, 0})),
                new int[]{0}, new int[]{1}, new boolean[]{true}, 0, 0, 1);
        assertEquals((-Math.log(1e-6 + 0.999) - Math.log(1 + 1e-6 - 0.001)) / 2, far.shared().scalar(), 1e-9);
    }

    @Test
    void the_unlearning_gradient_matches_central_differences() {
        double[][] z = {{0.3, -0.2, 0.5}, {1.0, 0.1, -0.4}, {0.2, 1.5, -0.3}, {-0.6, 0.4, 0.9}};
        int[] labels = {0, 1};
        int[] originals = {1, 2};
        boolean[] poison = {true, true};
        Tape t = new Tape();
        Var leaf = t.leaf(rows(z));
        t.backward(SauLosses.unlearning(t, leaf, labels, originals, poison, 1, 0.3, 1).total());
        INDArray g = leaf.grad();
        double h = 1e-6;
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 3; c++) {
                double[][] plus = copy(z);
                double[][] minus = copy(z);
                plus[i][c] += h;
                minus[i][c] -= h;
                double fd = (value(plus, labels, originals, poison) - value(minus, labels, originals, poison)) / (2 * h);
                assertEquals(fd, g.getDouble(i, c), 1e-6, "logit " + i + "," + c);
            }
        }
    }

    private static double value(double[][] z, int[] labels, int[] originals, boolean[] poison) {
        Tape t = new Tape();
        return SauLosses.unlearning(t, t.leaf(rows(z)), labels, originals, poison, 1, 0.3, 1).total().scalar();
    }

    private static double[][] copy(double[][] z) {
        double[][] out = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            out[i] = z[i].clone();
        }
        return out;
    }
}
