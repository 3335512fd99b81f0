package io.purifier.defense.npd;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

/**
 * NPD's losses as one SameDiff subgraph on the logits, so one gradient function serves both the inner attack
 * (gradient with respect to the input) and the outer step (gradient with respect to the polarizer). Rows are
 * selected by the fed one-hot matrices and row weights, which already carry the {@code 1/B} of the batch mean:
 *
 * <ul>
 *   <li>{@code L1 = -sum(A1 * logsoftmax(z))}: cross-entropy of the clean rows against the labels y;</li>
 *   <li>{@code L2 = -sum(A2 * logsoftmax(z))}: cross-entropy of the perturbed rows against the clean prediction;</li>
 *   <li>{@code L3 = -sum_i m3_i * log(1.0001 - p_i[y'_i] + 1e-12)} on the perturbed rows, y' the most probable
 *       wrong class;</li>
 *   <li>{@code L4} the same with the estimated target t;</li>
 *   <li>{@code attack = sum_i mA_i * clamp(CE_i(t), -bound, bound)}, the inner attack's loss;</li>
 *   <li>{@code total = l1*L1 + l2*L2 + l3*L3 + l4*L4 + la*attack}, the weights fed as scalars.</li>
 * </ul>
 *
 * <p>The outer step feeds the clean batch and the perturbed batch stacked ({@code [x; x_adv]}, 2B rows); with every
 * batch norm in inference mode the rows do not interact, so this equals two separate passes.</p>
 */
final class NpdObjective {

    /** Prefix of every variable of the subgraph. */
    static final String PREFIX = "npd.loss/";
    static final String L1 = PREFIX + "L1";
    static final String L2 = PREFIX + "L2";
    static final String L3 = PREFIX + "L3";
    static final String L4 = PREFIX + "L4";
    static final String ATTACK = PREFIX + "attack";
    static final String TOTAL = PREFIX + "total";

    private static final String CLEAN_TARGETS = PREFIX + "clean_targets";
    private static final String KEEP_TARGETS = PREFIX + "keep_targets";
    private static final String WRONG_ONEHOT = PREFIX + "wrong_onehot";
    private static final String WRONG_WEIGHT = PREFIX + "wrong_weight";
    private static final String TARGET_ONEHOT = PREFIX + "target_onehot";
    private static final String TARGET_WEIGHT = PREFIX + "target_weight";
    private static final String ATTACK_ONEHOT = PREFIX + "attack_onehot";
    private static final String ATTACK_WEIGHT = PREFIX + "attack_weight";
    private static final String[] LAMBDAS = {PREFIX + "lambda1", PREFIX + "lambda2", PREFIX + "lambda3",
            PREFIX + "lambda4", PREFIX + "lambda_attack"};

    /** The guard added to 1 - p (BackdoorBench: {@code 1.0001 - p + 1e-12}). */
    static final double ONE_PLUS = 1.0001;
    static final double TINY = 1e-12;

    private final int numClasses;
    private final DataType dataType;

    private NpdObjective(int numClasses, DataType dataType) {
        this.numClasses = numClasses;
        this.dataType = dataType;
    }

    /**
     * Adds the subgraph on {@code logits} ({@code [N, numClasses]}).
     *
     * @param sd         the graph
     * @param logits     the logits variable
     * @param numClasses number of classes
     * @param dataType   the floating-point type of the graph
     * @param lossBound  per-sample attack losses are clamped to {@code [-lossBound, lossBound]}
     */
    static NpdObjective install(SameDiff sd, SDVariable logits, int numClasses, DataType dataType, double lossBound) {
        if (sd.hasVariable(TOTAL)) {
            throw new IllegalStateException("the graph already has the NPD objective");
        }
        SDVariable shifted = logits.sub(logits.max(true, 1));
        SDVariable logProbs = shifted.sub(sd.math().log(sd.math().exp(shifted).sum(true, 1)));
        SDVariable probs = sd.math().exp(logProbs);

        SDVariable l1 = logProbs.mul(matrix(sd, CLEAN_TARGETS, dataType, numClasses)).sum().neg(L1);
        SDVariable l2 = logProbs.mul(matrix(sd, KEEP_TARGETS, dataType, numClasses)).sum().neg(L2);
        SDVariable l3 = oneMinusTerm(sd, probs, matrix(sd, WRONG_ONEHOT, dataType, numClasses),
                matrix(sd, WRONG_WEIGHT, dataType, 1), L3);
        SDVariable l4 = oneMinusTerm(sd, probs, matrix(sd, TARGET_ONEHOT, dataType, numClasses),
                matrix(sd, TARGET_WEIGHT, dataType, 1), L4);
        SDVariable perSampleCe = logProbs.mul(matrix(sd, ATTACK_ONEHOT, dataType, numClasses)).sum(true, 1).neg();
        SDVariable attack = sd.math().clipByValue(perSampleCe, -lossBound, lossBound)
                .mul(matrix(sd, ATTACK_WEIGHT, dataType, 1)).sum(ATTACK);

        SDVariable[] terms = {l1, l2, l3, l4, attack};
        SDVariable total = null;
        for (int i = 0; i < terms.length; i++) {
            SDVariable weighted = terms[i].mul(sd.placeHolder(LAMBDAS[i], dataType));
            total = total == null ? weighted : total.add(weighted);
        }
        sd.identity(TOTAL, total);
        return new NpdObjective(numClasses, dataType);
    }

    private static SDVariable matrix(SameDiff sd, String name, DataType dataType, int columns) {
        return sd.placeHolder(name, dataType, -1, columns);
    }

    private static SDVariable oneMinusTerm(SameDiff sd, SDVariable probs, SDVariable oneHot, SDVariable rowWeight,
                                           String name) {
        SDVariable p = probs.mul(oneHot).sum(true, 1);
        SDVariable perSample = sd.math().log(p.rsub(ONE_PLUS).add(TINY)).neg();
        return perSample.mul(rowWeight).sum(name);
    }

    /**
     * Feeds for the inner attack on a batch of B perturbed images: only the clamped target cross-entropy, batch
     * mean, weight 1.
     *
     * @param targets the B target labels
     */
    Map<String, INDArray> attackFeeds(int[] targets) {
        int b = targets.length;
        Map<String, INDArray> feeds = emptyFeeds(b);
        feeds.put(ATTACK_ONEHOT, oneHot(targets, b, 0, 1.0));
        feeds.put(ATTACK_WEIGHT, rowWeights(b, 0, b, 1.0 / b));
        feeds.put(LAMBDAS[4], scalar(1.0));
        return feeds;
    }

    /**
     * Feeds for the outer step on {@code [x; x_adv]} (2B rows).
     *
     * @param labels          the B true labels (L1)
     * @param cleanPrediction the B clean predictions (L2)
     * @param wrongClass      the B most probable wrong classes of the perturbed images (L3)
     * @param targets         the B estimated targets (L4)
     * @param weights         the weights of L1..L4
     */
    Map<String, INDArray> outerFeeds(int[] labels, int[] cleanPrediction, int[] wrongClass, int[] targets,
                                     LossWeights weights) {
        int b = labels.length;
        int n = 2 * b;
        double mean = 1.0 / b;
        Map<String, INDArray> feeds = emptyFeeds(n);
        feeds.put(CLEAN_TARGETS, oneHot(labels, n, 0, mean));
        feeds.put(KEEP_TARGETS, oneHot(cleanPrediction, n, b, mean));
        feeds.put(WRONG_ONEHOT, oneHot(wrongClass, n, b, 1.0));
        feeds.put(WRONG_WEIGHT, rowWeights(n, b, n, mean));
        feeds.put(TARGET_ONEHOT, oneHot(targets, n, b, 1.0));
        feeds.put(TARGET_WEIGHT, rowWeights(n, b, n, mean));
        feeds.put(LAMBDAS[0], scalar(weights.l1()));
        feeds.put(LAMBDAS[1], scalar(weights.l2()));
        feeds.put(LAMBDAS[2], scalar(weights.l3()));
        feeds.put(LAMBDAS[3], scalar(weights.l4()));
        return feeds;
    }

    private Map<String, INDArray> emptyFeeds(int rows) {
        Map<String, INDArray> feeds = new HashMap<>();
        for (String m : new String[]{CLEAN_TARGETS, KEEP_TARGETS, WRONG_ONEHOT, TARGET_ONEHOT, ATTACK_ONEHOT}) {
            feeds.put(m, Nd4j.zeros(dataType, rows, numClasses));
        }
        for (String w : new String[]{WRONG_WEIGHT, TARGET_WEIGHT, ATTACK_WEIGHT}) {
            feeds.put(w, Nd4j.zeros(dataType, rows, 1));
        }
        for (String l : LAMBDAS) {
            feeds.put(l, scalar(0.0));
        }
        return feeds;
    }

    private INDArray oneHot(int[] classes, int rows, int offset, double value) {
        INDArray m = Nd4j.zeros(dataType, rows, numClasses);
        for (int i = 0; i < classes.length; i++) {
            m.putScalar(offset + i, classes[i], value);
        }
        return m;
    }

    private INDArray rowWeights(int rows, int from, int to, double value) {
        INDArray w = Nd4j.zeros(dataType, rows, 1);
        for (int i = from; i < to; i++) {
            w.putScalar(i, 0, value);
        }
        return w;
    }

    private INDArray scalar(double v) {
        return Nd4j.scalar(dataType, v);
    }
}
