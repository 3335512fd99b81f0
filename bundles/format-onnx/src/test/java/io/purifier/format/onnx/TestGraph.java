package io.purifier.format.onnx;

import io.purifier.format.onnx.proto.OnnxAttribute;
import io.purifier.format.onnx.proto.OnnxEncoder;
import io.purifier.format.onnx.proto.OnnxGraph;
import io.purifier.format.onnx.proto.OnnxModel;
import io.purifier.format.onnx.proto.OnnxNode;
import io.purifier.format.onnx.proto.OnnxTensor;
import io.purifier.format.onnx.proto.OnnxValueInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds small ONNX files node by node with the bundle's encoder, for operator and error tests. */
final class TestGraph {

    private final List<OnnxNode> nodes = new ArrayList<>();
    private final List<OnnxTensor> initializers = new ArrayList<>();
    private final List<OnnxValueInfo> inputs = new ArrayList<>();
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private final Random rng = new Random(17);

    private TestGraph(long opset) {
        opsets.put("", opset);
    }

    /** A graph with one image input {@code x [batch, c, h, w]} (symbolic batch) at {@code opset}. */
    static TestGraph images(long opset, long c, long h, long w) {
        TestGraph g = new TestGraph(opset);
        g.inputs.add(new OnnxValueInfo("x", OnnxTensor.FLOAT, List.of(new OnnxValueInfo.Dim(-1, "batch"), dim(c),
                dim(h), dim(w))));
        return g;
    }

    /** A graph with a custom input. */
    static TestGraph withInput(long opset, OnnxValueInfo input) {
        TestGraph g = new TestGraph(opset);
        g.inputs.add(input);
        return g;
    }

    static OnnxValueInfo.Dim dim(long size) {
        return new OnnxValueInfo.Dim(size, null);
    }

    /** Adds another input. */
    TestGraph input(OnnxValueInfo v) {
        inputs.add(v);
        return this;
    }

    /** Declares another operator set. */
    TestGraph opset(String domain, long version) {
        opsets.put(domain, version);
        return this;
    }

    /** A float initializer with values uniform in [-1, 1]. */
    TestGraph random(String name, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return floats(name, dims, v);
    }

    /** A float initializer. */
    TestGraph floats(String name, long[] dims, float... values) {
        initializers.add(OnnxTensor.ofFloats(name, dims, values));
        return this;
    }

    /** An int64 vector initializer. */
    TestGraph ints(String name, long... values) {
        initializers.add(OnnxTensor.ofLongs(name, new long[]{values.length}, values));
        return this;
    }

    /** Any initializer. */
    TestGraph tensor(OnnxTensor t) {
        initializers.add(t);
        return this;
    }

    /** A node of the default domain named {@code /op_output}. */
    TestGraph node(String op, List<String> in, String out, OnnxAttribute... attributes) {
        nodes.add(OnnxNode.of("/" + out + "/" + op, op, in, List.of(out), attributes));
        return this;
    }

    /** A node as given. */
    TestGraph node(OnnxNode node) {
        nodes.add(node);
        return this;
    }

    /** Writes the graph with output {@code out [batch, classes]} to {@code dir/name.onnx}. */
    Path write(Path dir, String name, String out, long classes) {
        OnnxValueInfo output = new OnnxValueInfo(out, OnnxTensor.FLOAT, List.of(new OnnxValueInfo.Dim(-1, "batch"),
                dim(classes)));
        OnnxModel model = new OnnxModel(8, opsets, "test", "1", new OnnxGraph(name, nodes, initializers, inputs,
                List.of(output), 0), Map.of());
        Path file = dir.resolve(name + ".onnx");
        try {
            Files.write(file, OnnxEncoder.model(model).toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
