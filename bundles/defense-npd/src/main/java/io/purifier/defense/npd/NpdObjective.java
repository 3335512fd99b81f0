package io.purifier.defense.npd;

import io.purifier.engine.autograd.Tape;
import io.purifier.engine.autograd.Var;
import io.purifier.engine.train.Objective;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NPD's losses on the logits, as {@link Tape} objectives. Row selections are constant matrices that already carry
 * the {@code 1/B} of the batch mean:
 *
 * <ul>
 *   <li>{@code L1 = -sum(A1 * logsoftmax(z))}: cross-entropy of the clean rows against the labels y;</li>
 *   <li>{@code L2 = -sum(A2 * logsoftmax(z))}: cross-entropy of the perturbed rows against the clean prediction;</li>
 *   <li>{@code L3 = -sum_i m_i * log(1.0001 - p_i[y'_i] + 1e-12)} on the perturbed rows, y' the most probable
 *       wrong class;</li>
 *   <li>{@code L4} the same with the estimated target t;</li>
 *   <li>{@code attack = (1/B) sum_i clamp(CE_i(t), -bound, bound)}, the inner attack's loss;</li>
 *   <li>{@code total = l1*L1 + l2*L2 + l3*L3 + l4*L4}.</li>
 * </ul>
 *
 * <p>The outer step feeds the clean batch and the perturbed batch stacked ({@code [x; x_adv]}, 2B rows); with every
 * batch norm in inference mode the rows do not interact, so this equals two separate passes.</p>
 */
final class NpdObjective {

    /** The guard added to 1 - p (BackdoorBench: {@code 1.0001 - p + 1e-12}). */
    static final double ONE_PLUS = 1.0001;
    static final double TINY = 1e-12;

    /** The outer loss and its terms, as values on one tape. */
    record Terms(Var l1, Var l2, Var l3, Var l4, Var total) {
    }

    private NpdObjective() {
    }

    /**
     * The inner attack's objective on B perturbed images: the batch mean of the target cross-entropy, each sample's
     * clamped to {@code [-bound, bound]}.
     */
    static Objective attack(int[] targets, double bound) {
        return (t, o) -> {
            Var logits = o.logits();
            int n = targets.length;
            Var perSample = t.logSoftmax(logits).mul(t.constant(oneHot(targets, n, 0, 1.0, logits))).sum(1).neg();
            return t.clamp(perSample, -bound, bound).mean();
        };
    }

    /**
     * The outer loss on {@code [x; x_adv]} logits ({@code 2B} rows).
     *
     * @param labels          the B true labels (L1)
     * @param cleanPrediction the B clean predictions (L2)
     * @param wrongClass      the B most probable wrong classes of the perturbed images (L3)
     * @param targets         the B estimated targets (L4)
     * @param weights         the weights of L1..L4
     */
    static Terms outer(Tape t, Var logits, int[] labels, int[] cleanPrediction, int[] wrongClass, int[] targets,
                       LossWeights weights) {
        int b = labels.length;
        int n = 2 * b;
        double mean = 1.0 / b;
        Var logProbs = t.logSoftmax(logits);
        Var probs = t.exp(logProbs);
        Var l1 = logProbs.mul(t.constant(oneHot(labels, n, 0, mean, logits))).sum().neg();
        Var l2 = logProbs.mul(t.constant(oneHot(cleanPrediction, n, b, mean, logits))).sum().neg();
        Var l3 = oneMinusTerm(t, probs, oneHot(wrongClass, n, b, mean, logits));
        Var l4 = oneMinusTerm(t, probs, oneHot(targets, n, b, mean, logits));
        Var total = l1.mul(weights.l1()).add(l2.mul(weights.l2())).add(l3.mul(weights.l3())).add(l4.mul(weights.l4()));
        return new Terms(l1, l2, l3, l4, total);
    }

    /**
     * {@code -sum_i w_i log(1.0001 - p_i[c_i] + 1e-12)} where the weighted one-hot matrix selects class {@code c_i}
     * of row i with weight {@code w_i} (rows without a selection contribute nothing).
     */
    private static Var oneMinusTerm(Tape t, Var probs, INDArray weightedOneHot) {
        INDArray selected = weightedOneHot.gt(0).castTo(weightedOneHot.dataType());
        INDArray rowWeight = weightedOneHot.sum(true, 1);
        Var p = probs.mul(t.constant(selected)).sum(1);
        Var perSample = t.log(p.neg().add(ONE_PLUS + TINY)).neg();
        return perSample.mul(t.constant(rowWeight)).sum();
    }

    /** {@code [rows, K]} zeros with {@code value} at {@code (offset + i, classes[i])}. */
    static INDArray oneHot(int[] classes, int rows, int offset, double value, Var like) {
        DataType dt = like.value().dataType();
        INDArray m = Nd4j.zeros(dt, rows, like.value().size(1));
        for (int i = 0; i < classes.length; i++) {
            m.putScalar(offset + i, classes[i], value);
        }
        return m;
    }
}
