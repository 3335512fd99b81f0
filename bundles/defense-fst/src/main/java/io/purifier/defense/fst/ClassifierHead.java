package io.purifier.defense.fst;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.Node;
import io.purifier.engine.nn.layers.Dense;

/**
 * The model's linear classifier: the fully connected layer whose output is the logits (PyTorch's {@code linear} /
 * {@code fc}: {@code small-cnn} and {@code vgg-small} {@code fc2}, {@code preact-resnet18} {@code linear}, the last
 * {@code Dense} of a Keras import).
 *
 * @param node   the dense node
 * @param in     input features
 * @param out    classes
 * @param weight the weight array's name ({@code [in, out]})
 * @param bias   the bias array's name, or null when the layer has none
 */
record ClassifierHead(String node, int in, int out, String weight, String bias) {

    /**
     * The head of {@code model}.
     *
     * @throws InvalidInputException when the logits do not come straight from a fully connected layer
     */
    static ClassifierHead of(EngineModel model) {
        synchronized (model) {
            Node output = model.network().node(model.network().output());
            if (!(output.layer() instanceof Dense dense)) {
                throw new InvalidInputException("fst re-initialises and tunes the linear classifier that produces the "
                        + "logits, but the output of model '" + model.architectureId() + "' comes from node '"
                        + output.name() + "', a " + output.layer().type() + " layer");
            }
            return new ClassifierHead(output.name(), dense.in(), dense.out(), output.array("W"),
                    dense.bias() ? output.array("b") : null);
        }
    }
}
