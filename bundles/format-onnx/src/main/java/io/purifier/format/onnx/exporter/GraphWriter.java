package io.purifier.format.onnx.exporter;

import io.purifier.format.onnx.proto.OnnxAttribute;
import io.purifier.format.onnx.proto.OnnxNode;
import io.purifier.format.onnx.proto.OnnxTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the ONNX nodes and initializers of an export: which ONNX value holds each engine node's output, unique
 * value names, and weights converted to float32 initializers.
 */
final class GraphWriter {

    private final List<OnnxNode> nodes = new ArrayList<>();
    private final List<OnnxTensor> initializers = new ArrayList<>();
    private final Map<String, String> valueOf = new HashMap<>();
    private final Set<String> taken = new HashSet<>();

    /** Reserves a value name (graph input and output). */
    void reserve(String name) {
        taken.add(name);
    }

    /** A fresh value name based on {@code base}. */
    String fresh(String base) {
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + "_" + i;
        }
        taken.add(name);
        return name;
    }

    /** Records that the engine node {@code node}'s output is the ONNX value {@code value}. */
    void bind(String node, String value) {
        valueOf.put(node, value);
    }

    /** The ONNX value holding engine node {@code node}'s output. */
    String value(String node) {
        String v = valueOf.get(node);
        if (v == null) {
            throw new IllegalStateException("node '" + node + "' was not written before its consumer");
        }
        return v;
    }

    /** Adds a node. */
    void node(String name, String op, List<String> inputs, String output, OnnxAttribute... attributes) {
        nodes.add(OnnxNode.of(name, op, inputs, List.of(output), attributes));
    }

    /** Adds a float32 initializer with the array's values in the given shape; returns its name. */
    String weight(String base, INDArray values, long... shape) {
        String name = fresh(base);
        INDArray dense = values.castTo(DataType.FLOAT).reshape('c', shape).dup('c');
        initializers.add(OnnxTensor.ofFloats(name, shape, dense.data().asFloat()));
        return name;
    }

    /** Adds a float32 initializer with the given values; returns its name. */
    String floats(String base, long[] shape, float... values) {
        String name = fresh(base);
        initializers.add(OnnxTensor.ofFloats(name, shape, values));
        return name;
    }

    /** Adds an int64 initializer; returns its name. */
    String longs(String base, long... values) {
        String name = fresh(base);
        initializers.add(OnnxTensor.ofLongs(name, new long[]{values.length}, values));
        return name;
    }

    List<OnnxNode> nodes() {
        return nodes;
    }

    List<OnnxTensor> initializers() {
        return initializers;
    }
}
