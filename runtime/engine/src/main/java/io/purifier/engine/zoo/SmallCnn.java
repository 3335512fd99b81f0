package io.purifier.engine.zoo;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import io.purifier.api.param.ResolvedParams;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Two 3x3 convolutions with same padding (so border pixels, where corner triggers sit, reach the classifier),
 * each followed by ReLU and 2x2 max pooling, then a hidden dense layer and the output layer. Layers:
 * {@code conv1, [bn1,] relu1, pool1, conv2, [bn2,] relu2, pool2, fc1, relu3, fc2}.
 */
final class SmallCnn implements Architecture {

    static final ParamDescriptor DESCRIPTOR = ParamDescriptor.of(
            ParamSpec.integer("width", 32, 1, 512, "Channels of the first convolution; the second has twice as many.")
                    .withUnit("channels"),
            ParamSpec.integer("hidden", 128, 1, 4096, "Units of the hidden dense layer.").withUnit("units"),
            ParamSpec.bool("batchNorm", false, "Insert batch normalization after each convolution."));

    @Override
    public String id() {
        return "small-cnn";
    }

    @Override
    public String name() {
        return "Small CNN";
    }

    @Override
    public String description() {
        return "conv3x3(w)-ReLU-maxpool-conv3x3(2w)-ReLU-maxpool-dense(hidden)-ReLU-dense, same padding; "
                + "the quick model for Fashion-MNIST-sized data.";
    }

    @Override
    public ParamDescriptor parameters() {
        return DESCRIPTOR;
    }

    @Override
    public EngineModel create(ResolvedParams params, InputSpec input, long seed, DataType dataType) {
        Sizes.requireAtLeast(id(), input, 4);
        int w = params.integer("width");
        int hidden = params.integer("hidden");
        boolean bn = params.bool("batchNorm");
        GraphBuilder b = GraphBuilder.create(id(), params.asMap(), input.channels(), input.height(), input.width(),
                input.classNames(), input.normalization(), seed, dataType);
        String x = b.input();
        x = b.conv("conv1", x, input.channels(), w, 3, 1, 1, !bn);
        if (bn) {
            x = b.batchNorm("bn1", x, w);
        }
        x = b.maxPool("pool1", b.relu("relu1", x), 2);
        x = b.conv("conv2", x, w, 2 * w, 3, 1, 1, !bn);
        if (bn) {
            x = b.batchNorm("bn2", x, 2 * w);
        }
        x = b.maxPool("pool2", b.relu("relu2", x), 2);
        int features = 2 * w * (input.height() / 4) * (input.width() / 4);
        x = b.flatten("flatten", x);
        x = b.relu("relu3", b.dense("fc1", x, features, hidden));
        return b.finish(b.dense("fc2", x, hidden, input.numClasses()));
    }
}
