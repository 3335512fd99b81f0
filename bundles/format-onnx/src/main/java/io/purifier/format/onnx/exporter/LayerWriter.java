package io.purifier.format.onnx.exporter;

import io.purifier.api.model.ModelFormatException;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.Layer;
import io.purifier.engine.nn.Node;
import io.purifier.engine.nn.layers.Activation;
import io.purifier.engine.nn.layers.Add;
import io.purifier.engine.nn.layers.BatchNorm;
import io.purifier.engine.nn.layers.ChannelScale;
import io.purifier.engine.nn.layers.Concat;
import io.purifier.engine.nn.layers.Conv2d;
import io.purifier.engine.nn.layers.Dense;
import io.purifier.engine.nn.layers.Elementwise;
import io.purifier.engine.nn.layers.Flatten;
import io.purifier.engine.nn.layers.GlobalAvgPool;
import io.purifier.engine.nn.layers.Identity;
import io.purifier.engine.nn.layers.Normalize;
import io.purifier.engine.nn.layers.Pad2d;
import io.purifier.engine.nn.layers.Pool2d;
import io.purifier.engine.nn.layers.Relu;
import io.purifier.engine.nn.layers.Reshape;
import io.purifier.format.onnx.proto.OnnxAttribute;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one engine node as ONNX operators (operator set 13): every built-in layer type has its counterpart
 * ({@code Conv2d} → {@code Conv}, {@code BatchNorm} → {@code BatchNormalization}, {@code Dense} → {@code Gemm} with
 * {@code transB=1}, {@code GlobalAvgPool} → {@code GlobalAveragePool} + {@code Flatten}, {@code ChannelScale} →
 * {@code Mul} by a constant, {@code Pad2d} → {@code Pad}, ...). Weights are named like PyTorch parameters
 * ({@code layer4.1.conv1.weight}), so an import of the file finds the same layer names.
 */
final class LayerWriter {

    private final EngineModel model;
    private final GraphWriter g;
    private final Map<String, long[]> shapes;

    LayerWriter(EngineModel model, GraphWriter g, Map<String, long[]> shapes) {
        this.model = model;
        this.g = g;
        this.shapes = shapes;
    }

    /**
     * Writes {@code node}, whose output goes to the value {@code out}.
     *
     * @throws ModelFormatException naming the node when its layer type has no ONNX form
     */
    void write(Node node, String out) {
        String n = node.name();
        List<String> in = new ArrayList<>();
        node.inputs().forEach(i -> in.add(g.value(i)));
        Layer layer = node.layer();
        if (layer instanceof Conv2d c) {
            in.add(g.weight(n + ".weight", array(n, "W"), model.array(n + "/W").shape()));
            if (c.bias()) {
                in.add(g.weight(n + ".bias", array(n, "b"), c.out()));
            }
            g.node(n, "Conv", in, out, OnnxAttribute.ofInts("dilations", c.dilation()[0], c.dilation()[1]),
                    OnnxAttribute.ofInt("group", c.groups()),
                    OnnxAttribute.ofInts("kernel_shape", c.kernel()[0], c.kernel()[1]),
                    OnnxAttribute.ofInts("pads", c.padding()[0], c.padding()[1], c.padding()[0], c.padding()[1]),
                    OnnxAttribute.ofInts("strides", c.stride()[0], c.stride()[1]));
        } else if (layer instanceof BatchNorm bn) {
            String[] suffix = {"gamma", "beta", "mean", "var"};
            String[] torch = {"weight", "bias", "running_mean", "running_var"};
            for (int i = 0; i < 4; i++) {
                in.add(g.weight(n + "." + torch[i], array(n, suffix[i]), bn.channels()));
            }
            g.node(n, "BatchNormalization", in, out, OnnxAttribute.ofFloat("epsilon", (float) bn.eps()),
                    OnnxAttribute.ofFloat("momentum", (float) (1.0 - bn.momentum())));
        } else if (layer instanceof Dense d) {
            in.add(g.weight(n + ".weight", array(n, "W").transpose(), d.out(), d.in()));
            if (d.bias()) {
                in.add(g.weight(n + ".bias", array(n, "b"), d.out()));
            }
            g.node(n, "Gemm", in, out, OnnxAttribute.ofFloat("alpha", 1f), OnnxAttribute.ofFloat("beta", 1f),
                    OnnxAttribute.ofInt("transB", 1));
        } else if (layer instanceof Pool2d p) {
            List<OnnxAttribute> attrs = new ArrayList<>(List.of(OnnxAttribute.ofInt("ceil_mode", p.ceilMode() ? 1 : 0),
                    OnnxAttribute.ofInts("kernel_shape", p.kernel()[0], p.kernel()[1]),
                    OnnxAttribute.ofInts("pads", p.padding()[0], p.padding()[1], p.padding()[0], p.padding()[1]),
                    OnnxAttribute.ofInts("strides", p.stride()[0], p.stride()[1])));
            if (!p.max()) {
                attrs.add(OnnxAttribute.ofInt("count_include_pad", p.countPadding() ? 1 : 0));
            }
            g.node(n, p.max() ? "MaxPool" : "AveragePool", in, out, attrs.toArray(OnnxAttribute[]::new));
        } else if (layer instanceof GlobalAvgPool) {
            String pooled = g.fresh(n + ".pooled");
            g.node(n, "GlobalAveragePool", in, pooled);
            g.node(n + ".flatten", "Flatten", List.of(pooled), out, OnnxAttribute.ofInt("axis", 1));
        } else {
            writeSimple(node, layer, in, out);
        }
    }

    /** Layers without weights of their own (or with one constant operand). */
    private void writeSimple(Node node, Layer layer, List<String> in, String out) {
        String n = node.name();
        if (layer instanceof Relu) {
            g.node(n, "Relu", in, out);
        } else if (layer instanceof Activation a) {
            switch (a.function()) {
                case LEAKY_RELU -> g.node(n, "LeakyRelu", in, out, OnnxAttribute.ofFloat("alpha", (float) a.alpha()));
                case SIGMOID -> g.node(n, "Sigmoid", in, out);
                case TANH -> g.node(n, "Tanh", in, out);
                case CLIP -> {
                    in.add(Double.isFinite(a.min()) ? g.floats(n + ".min", new long[0], (float) a.min()) : "");
                    if (Double.isFinite(a.max())) {
                        in.add(g.floats(n + ".max", new long[0], (float) a.max()));
                    }
                    g.node(n, "Clip", in, out);
                }
                default -> throw unsupported(node);
            }
        } else if (layer instanceof Add) {
            g.node(n, "Add", in, out);
        } else if (layer instanceof Elementwise e) {
            String op = switch (e.op()) {
                case ADD -> "Add";
                case SUB -> "Sub";
                case MUL -> "Mul";
                case DIV -> "Div";
            };
            g.node(n, op, in, out);
        } else if (layer instanceof ChannelScale c) {
            in.add(g.weight(n + ".scale", array(n, "scale"), perChannel(node, c.channels())));
            g.node(n, "Mul", in, out);
        } else if (layer instanceof Normalize norm) {
            long[] shape = perChannel(node, norm.channels());
            String centred = g.fresh(n + ".centred");
            g.node(n + ".sub", "Sub", List.of(in.get(0), g.weight(n + ".mean", array(n, "mean"), shape)), centred);
            g.node(n, "Mul", List.of(centred, g.weight(n + ".inv_std", array(n, "inv_std"), shape)), out);
        } else if (layer instanceof Flatten) {
            g.node(n, "Flatten", in, out, OnnxAttribute.ofInt("axis", 1));
        } else if (layer instanceof Reshape r) {
            long[] target = new long[r.shape().length + 1];
            target[0] = -1;
            System.arraycopy(r.shape(), 0, target, 1, r.shape().length);
            in.add(g.longs(n + ".shape", target));
            g.node(n, "Reshape", in, out);
        } else if (layer instanceof Concat c) {
            g.node(n, "Concat", in, out, OnnxAttribute.ofInt("axis", c.axis()));
        } else if (layer instanceof Pad2d p) {
            in.add(g.longs(n + ".pads", 0, 0, p.top(), p.left(), 0, 0, p.bottom(), p.right()));
            in.add(g.floats(n + ".value", new long[0], (float) p.value()));
            g.node(n, "Pad", in, out, OnnxAttribute.ofString("mode", "constant"));
        } else if (layer instanceof Identity) {
            g.node(n, "Identity", in, out);
        } else {
            throw unsupported(node);
        }
    }

    /** {@code [C, 1, ...]}: a per-channel constant broadcasting against the node's input. */
    private long[] perChannel(Node node, int channels) {
        int rank = shapes.get(node.inputs().get(0)).length;
        long[] s = new long[Math.max(1, rank - 1)];
        java.util.Arrays.fill(s, 1);
        s[0] = channels;
        return s;
    }

    private INDArray array(String node, String suffix) {
        return model.array(node + "/" + suffix);
    }

    private static ModelFormatException unsupported(Node node) {
        return new ModelFormatException("layer '" + node.name() + "' of type '" + node.layer().type()
                + "' has no ONNX form in this exporter");
    }
}
