package io.purifier.engine.model;

/**
 * The variable names of one batch-norm layer built from basic ops.
 *
 * @param name        the layer name (for example {@code layer4.1.bn1})
 * @param channels    number of channels
 * @param gamma       trainable scale {@code [C]}
 * @param beta        trainable shift {@code [C]}
 * @param runningMean running mean {@code [C]} (constant; updated by the trainer)
 * @param runningVar  running variance {@code [C]} (constant, unbiased as in PyTorch; updated by the trainer)
 * @param batchMean   graph output: the batch mean {@code [1, C, 1, 1]}
 * @param batchVar    graph output: the biased batch variance {@code [1, C, 1, 1]}
 * @param trainGate   scalar constant; 1 follows {@link GraphNames#BN_MODE}, 0 pins the layer to running statistics
 * @param batchCount  graph output: values per channel in the batch ({@code N*H*W}), for the unbiased running variance
 */
public record BatchNormLayer(String name, int channels, String gamma, String beta, String runningMean,
                             String runningVar, String batchMean, String batchVar, String trainGate, String batchCount) {

    /** The names used for layer {@code name}. */
    public static BatchNormLayer named(String name, int channels) {
        return new BatchNormLayer(name, channels, name + "/gamma", name + "/beta", name + "/mean", name + "/var",
                name + "/batch_mean", name + "/batch_var", name + "/train_gate", name + "/batch_count");
    }
}
