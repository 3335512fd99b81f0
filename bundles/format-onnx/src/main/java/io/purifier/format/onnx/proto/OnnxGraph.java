package io.purifier.format.onnx.proto;

import java.util.List;

/**
 * An ONNX {@code GraphProto}: nodes in topological order, initializers (weights), graph inputs and outputs.
 *
 * @param name                graph name
 * @param nodes               nodes
 * @param initializers        constant tensors by value name
 * @param inputs              graph inputs (in older files also the initializers)
 * @param outputs             graph outputs
 * @param sparseInitializers  number of sparse initializers (not supported)
 */
public record OnnxGraph(String name, List<OnnxNode> nodes, List<OnnxTensor> initializers, List<OnnxValueInfo> inputs,
                        List<OnnxValueInfo> outputs, int sparseInitializers) {

    /** Copies the lists. */
    public OnnxGraph {
        nodes = List.copyOf(nodes);
        initializers = List.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
