package io.purifier.engine.model;

/**
 * The array names of one batch-norm layer.
 *
 * @param name        the layer (node) name, for example {@code layer4.1.bn1}
 * @param channels    number of channels
 * @param gamma       trainable scale {@code [C]}
 * @param beta        trainable shift {@code [C]}
 * @param runningMean running mean {@code [C]} (a buffer, updated by training-mode passes)
 * @param runningVar  running variance {@code [C]} (unbiased, as PyTorch's)
 * @param trainGate   {@code [1]}: 1 follows the pass's {@link BnMode}, 0 pins the layer to its running statistics
 */
public record BatchNormLayer(String name, int channels, String gamma, String beta, String runningMean,
                             String runningVar, String trainGate) {

    /** The names used for layer {@code name}. */
    public static BatchNormLayer named(String name, int channels) {
        return new BatchNormLayer(name, channels, name + "/gamma", name + "/beta", name + "/mean", name + "/var",
                name + "/train_gate");
    }
}
