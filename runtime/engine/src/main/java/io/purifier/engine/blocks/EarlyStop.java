package io.purifier.engine.blocks;

import io.purifier.engine.eval.Evaluator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Decides, before each PGD step, which samples are finished; finished samples keep their current perturbation.
 */
@FunctionalInterface
public interface EarlyStop {

    /**
     * @param step   0-based step about to run
     * @param logits the logits at the current adversarial images {@code [B, K]}
     * @param labels the labels PGD was given (true labels, or targets when targeted)
     * @return per sample: true when it should not be perturbed further
     */
    boolean[] done(int step, INDArray logits, int[] labels);

    /** Never stops early. */
    static EarlyStop never() {
        return (step, logits, labels) -> new boolean[labels.length];
    }

    /**
     * Stops a sample as soon as the attack succeeded: the prediction differs from the label (untargeted), or
     * equals the target (targeted).
     */
    static EarlyStop onSuccess(boolean targeted) {
        return (step, logits, labels) -> {
            int[] pred = Evaluator.argMax(logits);
            boolean[] done = new boolean[labels.length];
            for (int i = 0; i < labels.length; i++) {
                done[i] = targeted ? pred[i] == labels[i] : pred[i] != labels[i];
            }
            return done;
        };
    }
}
