package io.purifier.defense.npd;

import io.purifier.engine.model.BatchNormLayer;

import java.util.List;

/**
 * The names of one inserted neural polarizer.
 *
 * @param anchor    the layer it polarizes (the input or the output of, see {@code placement})
 * @param placement input or output of the anchor
 * @param channels  C, the channels of the polarized tensor
 * @param convLayer the 1x1 convolution's layer name
 * @param weight    the convolution weight {@code [C, C, 1, 1]}
 * @param batchNorm the batch-norm layer's variables
 */
record Polarizer(String anchor, NpdParams.Placement placement, int channels, String convLayer, String weight,
                 BatchNormLayer batchNorm) {

    /** The polarizer's layer names (conv, then batch norm). */
    List<String> layers() {
        return List.of(convLayer, batchNorm.name());
    }

    /** The trainable parameters: W, gamma, beta. */
    List<String> parameters() {
        return List.of(weight, batchNorm.gamma(), batchNorm.beta());
    }

    /** Number of trainable values: C*C + 2C. */
    long parameterCount() {
        return (long) channels * channels + 2L * channels;
    }

    /** A short description for logs and model properties. */
    String describe() {
        return placement.id() + " of " + anchor + " (" + channels + " channels)";
    }
}
