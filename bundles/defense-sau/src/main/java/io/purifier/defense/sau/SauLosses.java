package io.purifier.defense.sau;

import io.purifier.engine.autograd.Tape;
import io.purifier.engine.autograd.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SAU's two losses on a {@link Tape}, as in BackdoorBench's {@code defense/sau.py}.
 *
 * <p><b>Attack</b> (maximised by the shared PGD through its sign steps on the negated value): with {@code h} the model
 * being purified and {@code h0} its frozen original, both on the perturbed images,
 * {@code beta1 * L_adv + beta2 * L_share} where
 * {@code L_adv = -(sum_{h not fooled} CE(h, y) + sum_{h0 not fooled} CE(h0, y)) / 2B} and
 * {@code L_share = sum_{not shared} sum_c JS(p, q)_c / B} with {@code p, q} the two softmaxes clamped at 1e-8,
 * {@code JS = (p log p + q log q)/2 - (p log m + q log m)/2}, {@code m = (p + q)/2}.</p>
 *
 * <p><b>Unlearning</b> on the logits of the clean and perturbed batch stacked ({@code [2B, K]}, clean rows first):
 * {@code lambda1 CE(clean, y) + lambda2 CE(perturbed, y) + lambda3 L_sar}, with, over the "potential poison" rows
 * (where {@code h0} is fooled away from both the label and its own clean prediction) and {@code t} the class
 * {@code h0} gives them: {@code L_sar = (-sum log(1e-6 + min(1 - p_t, 0.999)) - sum log(1 + 1e-6 - max(p_t, 0.001))) / 2B}
 * ({@code 1 - p_t} computed as the sum of the other classes' probabilities).</p>
 */
final class SauLosses {

    private SauLosses() {
    }

    /** The terms of the attack loss. */
    record Attack(Var adversarial, Var share, Var total) {
    }

    /** The terms of the unlearning loss. */
    record Unlearning(Var clean, Var adversarial, Var shared, Var total) {
    }

    /**
     * The attack loss.
     *
     * @param model         {@code h}'s logits on the perturbed images {@code [B, K]}
     * @param original      {@code h0}'s logits on them
     * @param labels        the true labels
     * @param notFooled     rows where {@code h} still predicts its clean-image class
     * @param originalNotFooled rows where {@code h0} does
     * @param notShared     rows that are not a shared adversarial example
     */
    static Attack attack(Tape t, Var model, Var original, int[] labels, boolean[] notFooled,
                         boolean[] originalNotFooled, boolean[] notShared, double beta1, double beta2) {
        int b = labels.length;
        DataType dt = model.value().dataType();
        Var ce = maskedCrossEntropySum(t, model, labels, notFooled)
                .add(maskedCrossEntropySum(t, original, labels, originalNotFooled));
        Var adversarial = ce.mul(-1.0 / (2 * b));
        Var p = t.clamp(t.softmax(model), 1e-8, Double.MAX_VALUE);
        Var q = t.clamp(t.softmax(original), 1e-8, Double.MAX_VALUE);
        Var logM = t.log(p.add(q).mul(0.5));
        Var js = p.mul(t.log(p)).add(q.mul(t.log(q))).mul(0.5).sub(p.mul(logM).add(q.mul(logM)).mul(0.5));
        Var share = js.mul(t.constant(rowMask(notShared, dt))).sum().mul(1.0 / b);
        return new Attack(adversarial, share, adversarial.mul(beta1).add(share.mul(beta2)));
    }

    /**
     * The unlearning loss.
     *
     * @param stacked           logits of the clean rows then the perturbed rows, {@code [2B, K]}
     * @param labels            the B true labels
     * @param originalPerturbed {@code h0}'s class on each perturbed image
     * @param potentialPoison   rows where {@code h0} is fooled away from the label and its clean prediction
     */
    static Unlearning unlearning(Tape t, Var stacked, int[] labels, int[] originalPerturbed, boolean[] potentialPoison,
                                 double lambda1, double lambda2, double lambda3) {
        int b = labels.length;
        int k = (int) stacked.value().size(1);
        DataType dt = stacked.value().dataType();
        Var clean = t.softCrossEntropy(stacked, oneHotRows(labels, k, 0, 2 * b, dt)).mul(2);
        Var adversarial = t.softCrossEntropy(stacked, oneHotRows(labels, k, b, 2 * b, dt)).mul(2);
        INDArray target = Nd4j.zeros(dt, 2L * b, k);
        INDArray others = Nd4j.zeros(dt, 2L * b, k);
        INDArray rows = Nd4j.zeros(dt, 2L * b, 1);
        int count = 0;
        for (int i = 0; i < b; i++) {
            if (potentialPoison[i]) {
                count++;
                rows.putScalar(b + i, 0, 1);
                for (int c = 0; c < k; c++) {
                    target.putScalar(b + i, c, c == originalPerturbed[i] ? 1 : 0);
                    others.putScalar(b + i, c, c == originalPerturbed[i] ? 0 : 1);
                }
            }
        }
        Var shared;
        if (count == 0) {
            shared = t.constant(Nd4j.scalar(dt, 0.0));
        } else {
            Var probs = t.softmax(stacked);
            Var pos = probs.mul(t.constant(target)).sum(1);
            Var neg = probs.mul(t.constant(others)).sum(1);
            Var mask = t.constant(rows);
            Var negTerm = t.log(t.clamp(neg, -Double.MAX_VALUE, 0.999).add(1e-6)).mul(mask).sum();
            Var posTerm = t.log(t.clamp(pos, 0.001, Double.MAX_VALUE).neg().add(1 + 1e-6)).mul(mask).sum();
            shared = negTerm.add(posTerm).mul(-1.0 / (2 * b));
        }
        Var total = clean.mul(lambda1).add(adversarial.mul(lambda2)).add(shared.mul(lambda3));
        return new Unlearning(clean, adversarial, shared, total);
    }

    /** {@code sum_{mask_i} CE_i} of {@code [B, K]} logits. */
    private static Var maskedCrossEntropySum(Tape t, Var logits, int[] labels, boolean[] mask) {
        int b = labels.length;
        int k = (int) logits.value().size(1);
        DataType dt = logits.value().dataType();
        INDArray picks = Nd4j.zeros(dt, b, k);
        boolean any = false;
        for (int i = 0; i < b; i++) {
            if (mask[i]) {
                picks.putScalar(i, labels[i], 1);
                any = true;
            }
        }
        if (!any) {
            return t.constant(Nd4j.scalar(dt, 0.0));
        }
        return t.logSoftmax(logits).mul(t.constant(picks)).sum().neg();
    }

    /** One-hot rows for {@code labels} at rows {@code from .. from + B - 1} of a {@code [rows, k]} zero array. */
    private static INDArray oneHotRows(int[] labels, int k, int from, int rows, DataType dt) {
        INDArray out = Nd4j.zeros(dt, rows, k);
        for (int i = 0; i < labels.length; i++) {
            out.putScalar(from + i, labels[i], 1);
        }
        return out;
    }

    private static INDArray rowMask(boolean[] rows, DataType dt) {
        INDArray out = Nd4j.zeros(dt, rows.length, 1);
        for (int i = 0; i < rows.length; i++) {
            out.putScalar(i, 0, rows[i] ? 1 : 0);
        }
        return out;
    }
}
