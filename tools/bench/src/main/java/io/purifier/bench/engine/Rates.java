package io.purifier.bench.engine;

/**
 * Throughput of one model in images per second.
 *
 * @param train     one SGD step (momentum 0.9, weight decay 5e-4, lr 0.01) on mean cross-entropy, batch 128, batch
 *                  norm in training mode
 * @param infer     logits in inference mode, batch 256
 * @param inputGrad gradient of the mean cross-entropy with respect to the input, inference mode, batch 128
 */
record Rates(double train, double infer, double inputGrad) {

    /** The three cells in table order. */
    double[] cells() {
        return new double[]{train, infer, inputGrad};
    }

    /** Names of the cells, in {@link #cells()} order. */
    static final String[] CELLS = {"train", "inference", "input gradient"};
}
