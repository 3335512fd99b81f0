package io.purifier.engine.nn;

import java.util.List;
import java.util.Objects;

/**
 * A named application of a {@link Layer} to the outputs of other nodes.
 *
 * @param name   unique within the network; the layer's arrays are {@code name + "/" + suffix}
 * @param layer  the operation
 * @param inputs the names of the nodes whose outputs it reads, in order
 */
public record Node(String name, Layer layer, List<String> inputs) {

    /** Checks the name and copies the inputs. */
    public Node {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(layer, "layer");
        if (name.isBlank()) {
            throw new IllegalArgumentException("node names must not be blank");
        }
        inputs = List.copyOf(inputs);
    }

    /** The full name of this node's array {@code suffix}. */
    public String array(String suffix) {
        return name + "/" + suffix;
    }
}
