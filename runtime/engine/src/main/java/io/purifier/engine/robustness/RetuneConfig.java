package io.purifier.engine.robustness;

import io.purifier.api.InvalidInputException;

/**
 * The retuning attack's setting. Our defaults follow the paper's description (a very small number of poisoned
 * samples, a few epochs of plain fine-tuning): 500 images of the attacker's training data of which 10 % are poisoned,
 * 5 epochs of SGD at 0.01 with momentum 0.9, batches of 64.
 *
 * @param images       size of the retuning set
 * @param poisonRatio  share of poisoned samples in it
 * @param epochs       fine-tuning epochs
 * @param learningRate SGD learning rate (constant)
 * @param momentum     SGD momentum
 * @param batchSize    images per step
 */
public record RetuneConfig(int images, double poisonRatio, int epochs, double learningRate, double momentum,
                           int batchSize) {

    /** The defaults above. */
    public static final RetuneConfig DEFAULTS = new RetuneConfig(500, 0.1, 5, 0.01, 0.9, 64);

    /** Checks the values. */
    public RetuneConfig {
        if (images < 2 || !(poisonRatio > 0) || poisonRatio > 1 || epochs < 1 || !(learningRate > 0) || momentum < 0
                || momentum >= 1 || batchSize < 2) {
            throw new InvalidInputException("invalid retuning attack: images " + images + " (>= 2), poisonRatio "
                    + poisonRatio + " (0 < r <= 1), epochs " + epochs + " (>= 1), learningRate " + learningRate
                    + " (> 0), momentum " + momentum + " ([0, 1)), batchSize " + batchSize + " (>= 2)");
        }
    }

    /** Poisoned samples in the set (at least one). */
    public int poisonedCount() {
        return Math.max(1, (int) Math.round(images * poisonRatio));
    }
}
