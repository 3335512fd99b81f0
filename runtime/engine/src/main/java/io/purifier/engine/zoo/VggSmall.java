package io.purifier.engine.zoo;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A small VGG: three blocks of two 3x3 convolutions (same padding, optional batch norm, ReLU) and a 2x2 max
 * pool, base widths 32/64/128 times {@code widthMultiplier}, then a hidden dense layer and the output layer.
 * Layers: {@code blockB.convK, blockB.bnK, blockB.reluK, blockB.pool} for B in 1..3, K in 1..2, then
 * {@code fc1, relu_fc1, fc2}.
 */
final class VggSmall implements Architecture {

    private static final int[] BASE_WIDTHS = {32, 64, 128};

    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.real("widthMultiplier", 1.0, 0.03125, 4.0, "Scales the block widths 32/64/128."),
            ParamSpec.integer("hidden", 256, 1, 4096, "Units of the hidden dense layer.").withUnit("units"),
            ParamSpec.bool("batchNorm", true, "Batch normalization after each convolution."));

    @Override
    public String id() {
        return "vgg-small";
    }

    @Override
    public String name() {
        return "Small VGG";
    }

    @Override
    public String description() {
        return "VGG-style: 3 blocks of 2 conv3x3 (+BN) + ReLU and a max pool, widths 32/64/128 x multiplier, "
                + "then dense(hidden)-ReLU-dense.";
    }

    @Override
    public ParamDescriptor parameters() {
        return DESCRIPTOR;
    }

    @Override
    public EngineModel create(ResolvedParams params, InputSpec input, long seed, DataType dataType) {
        Sizes.requireAtLeast(id(), input, 8);
        double m = params.real("widthMultiplier");
        boolean bn = params.bool("batchNorm");
        int hidden = params.integer("hidden");
        GraphBuilder b = GraphBuilder.create(id(), params.asMap(), input.channels(), input.height(), input.width(),
                input.classNames(), input.normalization(), seed, dataType);
        String x = b.input();
        int in = input.channels();
        int h = input.height();
        int w = input.width();
        for (int block = 1; block <= BASE_WIDTHS.length; block++) {
            int out = Sizes.scaled(BASE_WIDTHS[block - 1], m);
            for (int k = 1; k <= 2; k++) {
                String prefix = "block" + block + ".";
                x = b.conv(prefix + "conv" + k, x, in, out, 3, 1, 1, !bn);
                if (bn) {
                    x = b.batchNorm(prefix + "bn" + k, x, out);
                }
                x = b.relu(prefix + "relu" + k, x);
                in = out;
            }
            x = b.maxPool("block" + block + ".pool", x, 2);
            h /= 2;
            w /= 2;
        }
        int features = in * h * w;
        x = b.flatten("flatten", x);
        x = b.relu("relu_fc1", b.dense("fc1", x, features, hidden));
        return b.finish(b.dense("fc2", x, hidden, input.numClasses()));
    }
}
