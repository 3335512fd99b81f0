package io.purifier.format.onnx.exporter;

import io.purifier.api.model.ModelFormatException;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.nn.Network;
import io.purifier.engine.nn.Node;
import io.purifier.engine.nn.layers.Constant;
import io.purifier.engine.nn.layers.Input;
import io.purifier.engine.nn.layers.Normalize;
import io.purifier.format.onnx.meta.PurifierMetadata;
import io.purifier.format.onnx.proto.OnnxEncoder;
import io.purifier.format.onnx.proto.OnnxGraph;
import io.purifier.format.onnx.proto.OnnxModel;
import io.purifier.format.onnx.proto.OnnxTensor;
import io.purifier.format.onnx.proto.OnnxValueInfo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link EngineModel} (a zoo model, an imported one, a purified one with inserted layers or channel masks)
 * as an ONNX file, operator set {@value #OPSET}, IR version {@value #IR_VERSION}, that ONNX Runtime runs: one input
 * {@code input [batch, C, H, W]} float32, one output {@code logits [batch, classes]}.
 *
 * <p>The model's normalization is not part of the graph when, as usual, it comes right after the input: the graph
 * then takes normalized images, like the model the user brought, and the mean and std are in the file's metadata
 * ({@link PurifierMetadata}, with the class names, layer names and provenance), which an import reads back. A model
 * that reads its raw pixels elsewhere keeps its normalization in the graph and takes [0, 1] pixels
 * ({@code purifier.input = pixels}).</p>
 */
public final class OnnxExporter {

    /** The default-domain operator set written. */
    public static final long OPSET = 13;
    /** The ONNX IR version written. */
    public static final long IR_VERSION = 7;

    private OnnxExporter() {
    }

    /**
     * Writes {@code model} to {@code file} (through a temporary file in the same directory).
     *
     * @throws ModelFormatException naming a layer without an ONNX form, or the file when it cannot be written
     */
    public static void save(EngineModel model, Path file) {
        OnnxModel onnx = export(model);
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            OnnxEncoder.model(onnx).writeTo(out);
        } catch (IOException e) {
            throw new ModelFormatException("cannot write ONNX file '" + file.getFileName() + "': " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ModelFormatException("cannot write ONNX file '" + file.getFileName() + "': " + e.getMessage(), e);
        }
    }

    /** The ONNX model of {@code model}. */
    public static OnnxModel export(EngineModel model) {
        synchronized (model) {
            Network net = model.network();
            List<Node> nodes = net.nodes();
            var info = model.info();
            boolean normalizedInput = nodes.size() > 1 && nodes.get(1).layer() instanceof Normalize
                    && nodes.get(1).inputs().equals(List.of(nodes.get(0).name()))
                    && net.consumers(nodes.get(0).name()).size() == 1;
            GraphWriter g = new GraphWriter();
            g.reserve("input");
            g.reserve("logits");
            Map<String, long[]> shapes = net.shapes(new long[]{1, info.channels(), info.height(), info.width()});
            LayerWriter writer = new LayerWriter(model, g, shapes);
            for (Node node : nodes) {
                if (node.layer() instanceof Input) {
                    g.bind(node.name(), "input");
                } else if (normalizedInput && node == nodes.get(1)) {
                    g.bind(node.name(), "input");
                } else if (node.layer() instanceof Constant c) {
                    g.bind(node.name(), g.weight(node.name() + ".value", model.array(node.name() + "/value"), c.shape()));
                } else {
                    String out = node.name().equals(net.output()) ? "logits" : g.fresh(node.name());
                    writer.write(node, out);
                    g.bind(node.name(), out);
                }
            }
            if (!g.value(net.output()).equals("logits")) {
                g.node("logits", "Identity", List.of(g.value(net.output())), "logits");
            }
            OnnxValueInfo input = new OnnxValueInfo("input", OnnxTensor.FLOAT, List.of(new OnnxValueInfo.Dim(-1, "batch"),
                    fixed(info.channels()), fixed(info.height()), fixed(info.width())));
            OnnxValueInfo output = new OnnxValueInfo("logits", OnnxTensor.FLOAT, List.of(
                    new OnnxValueInfo.Dim(-1, "batch"), fixed(info.numClasses())));
            OnnxGraph graph = new OnnxGraph(model.architectureId(), g.nodes(), g.initializers(), List.of(input),
                    List.of(output), 0);
            PurifierMetadata meta = new PurifierMetadata(info.classNames(), normalizedInput ? info.normalization() : null,
                    !normalizedInput, net.taps(), model.properties());
            return new OnnxModel(IR_VERSION, Map.of("", OPSET), "purifier", "format-onnx", graph,
                    meta.write(model.architectureId()));
        }
    }

    private static OnnxValueInfo.Dim fixed(long size) {
        return new OnnxValueInfo.Dim(size, null);
    }
}
