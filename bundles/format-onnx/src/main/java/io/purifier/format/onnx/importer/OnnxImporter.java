package io.purifier.format.onnx.importer;

import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Normalization;
import io.purifier.api.model.ModelFormatException;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.GraphBuilder;
import io.purifier.format.onnx.meta.PurifierMetadata;
import io.purifier.format.onnx.proto.OnnxDecoder;
import io.purifier.format.onnx.proto.OnnxGraph;
import io.purifier.format.onnx.proto.OnnxModel;
import io.purifier.format.onnx.proto.OnnxNode;
import io.purifier.format.onnx.proto.OnnxTensor;
import io.purifier.format.onnx.proto.OnnxValueInfo;
import io.purifier.format.onnx.proto.ProtoException;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports an ONNX classifier (default operator set 9 to 17, one image input {@code [N, C, H, W]}, one output
 * {@code [N, classes]}) into a trainable {@link EngineModel}: the file is decoded by the bundle's own protobuf
 * reader, constants and shape arithmetic are folded, every other node becomes engine layers (see
 * {@link Converters}) named after the ONNX modules ({@link LayerNames}), and the weights become the layers'
 * parameters. A file exported by Purifier gets its class names, normalization, layer names and provenance back from
 * its metadata.
 */
public final class OnnxImporter {

    /** The architecture id of imported models. */
    public static final String ARCHITECTURE = "onnx-import";
    /** The oldest default operator set read. */
    public static final long MIN_OPSET = 9;
    /** The newest default operator set read. */
    public static final long MAX_OPSET = 17;

    private OnnxImporter() {
    }

    /**
     * Imports a file.
     *
     * @param file          the {@code .onnx} file (weights inside it)
     * @param classNames    the class names, or empty for the file's own (Purifier metadata) or "0".."K-1"
     * @param normalization the normalization the model expects of [0, 1] pixels, or null for the file's own
     *                      (Purifier metadata) or none
     * @return the model (FLOAT)
     * @throws ModelFormatException naming the file and the problem: not ONNX, an unsupported operator set or
     *                              operator (with the node), an unsupported input or output, a bad class name count
     */
    public static EngineModel load(Path file, List<String> classNames, Normalization normalization) {
        String where = "ONNX file '" + file.getFileName() + "'";
        OnnxModel onnx = read(file, where);
        try {
            return convert(onnx, file.getFileName().toString(), classNames, normalization);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(where + ": " + e.getMessage(), e);
        } catch (InvalidInputException | ProtoException | IllegalArgumentException | ArithmeticException e) {
            throw new ModelFormatException(where + " cannot be imported: " + e.getMessage(), e);
        }
    }

    private static OnnxModel read(Path file, String where) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(where + " does not exist or is not a file");
        }
        byte[] bytes;
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 16) {
                throw new ModelFormatException(where + " is larger than 2 GB, the limit of an ONNX protobuf file");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException(where + " cannot be read: " + e.getMessage(), e);
        }
        try {
            OnnxModel m = OnnxDecoder.model(ByteBuffer.wrap(bytes));
            if (m.graph().nodes().isEmpty() || m.graph().outputs().isEmpty()) {
                throw new ProtoException("it holds no graph nodes or outputs");
            }
            return m;
        } catch (ProtoException e) {
            throw new ModelFormatException(where + " is not an ONNX model: " + e.getMessage(), e);
        }
    }

    private static EngineModel convert(OnnxModel onnx, String fileName, List<String> classNames,
                                       Normalization normalization) {
        long opset = onnx.defaultOpset();
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new ModelFormatException("it uses ONNX operator set " + (opset == 0 ? "(none declared)" : opset)
                    + "; the importer reads operator sets " + MIN_OPSET + " to " + MAX_OPSET
                    + " (export with torch.onnx.export(..., opset_version=17))");
        }
        OnnxGraph g = onnx.graph();
        checkOperators(g);
        if (g.sparseInitializers() > 0) {
            throw new ModelFormatException("it has sparse initializers, which are not supported");
        }
        PurifierMetadata meta = PurifierMetadata.read(onnx.metadata());
        Set<String> initializers = new LinkedHashSet<>();
        g.initializers().forEach(t -> initializers.add(t.name()));
        OnnxValueInfo input = input(g, initializers);
        long[] in = imageShape(input);
        OnnxValueInfo output = output(g);
        List<String> names = classNames(classNames.isEmpty() ? meta.classNames() : classNames, output);
        Normalization norm = normalization != null ? normalization : meta.normalization() != null
                ? meta.normalization() : Normalization.identity((int) in[1]);
        if (norm.channels() != in[1]) {
            throw new ModelFormatException("its input has " + in[1] + " channels but the normalization has "
                    + norm.channels());
        }
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("file", fileName);
        recipe.put("opset", opset);
        GraphBuilder b = GraphBuilder.create(ARCHITECTURE, recipe, (int) in[1], (int) in[2], (int) in[3], names, norm,
                0L, DataType.FLOAT);
        ImportContext ctx = new ImportContext(b, opset, in[0], g.nodes(), Set.of(output.name()));
        ctx.define(input.name(), new Value.Dyn(b.input(), new long[]{1, in[1], in[2], in[3]}));
        for (OnnxTensor t : g.initializers()) {
            ctx.define(t.name(), ConstValue.of(t));
        }
        for (OnnxNode n : g.nodes()) {
            if (!ctx.absorbed(n)) {
                Converters.of(n.opType()).convert(n, ctx);
            }
        }
        Value out = ctx.output(output.name());
        if (!(out instanceof Value.Dyn logits) || logits.rank() != 2 || logits.shape()[1] != names.size()) {
            throw new ModelFormatException("its output '" + output.name() + "' must be the logits [N, " + names.size()
                    + "] computed from the input, got " + (out instanceof Value.Dyn d ? d.describe() : "a constant"));
        }
        EngineModel model = b.finish(logits.node());
        LayerTaps.publish(model, ctx.published(), meta.layers());
        meta.properties().forEach(model::setProperty);
        model.setProperty("source", "onnx");
        model.setProperty("onnx.producer", (onnx.producerName() + " " + onnx.producerVersion()).trim());
        model.setProperty("onnx.opset", Long.toString(opset));
        ctx.properties().forEach(model::setProperty);
        return model;
    }

    /** Refuses the file when any node uses an operator the importer does not know, naming each with a node. */
    private static void checkOperators(OnnxGraph g) {
        Map<String, String> unsupported = new LinkedHashMap<>();
        for (OnnxNode n : g.nodes()) {
            boolean standard = n.domain().isEmpty() || n.domain().equals("ai.onnx");
            if (!standard || Converters.of(n.opType()) == null) {
                String op = standard ? n.opType() : n.domain() + ":" + n.opType();
                unsupported.putIfAbsent(op, n.describe().substring(n.opType().length() + 1));
            }
        }
        if (!unsupported.isEmpty()) {
            List<String> list = new ArrayList<>();
            unsupported.forEach((op, node) -> list.add("operator " + op + " (" + node + ")"));
            throw new ModelFormatException(String.join(", ", list) + (list.size() == 1 ? " is" : " are")
                    + " not supported; supported operators: " + Converters.supported());
        }
    }

    private static OnnxValueInfo input(OnnxGraph g, Set<String> initializers) {
        List<OnnxValueInfo> inputs = g.inputs().stream().filter(v -> !initializers.contains(v.name())).toList();
        if (inputs.size() != 1) {
            throw new ModelFormatException("the graph must have exactly one input (the images), it has "
                    + inputs.stream().map(OnnxValueInfo::name).toList());
        }
        OnnxValueInfo in = inputs.get(0);
        if (in.elemType() != OnnxTensor.FLOAT) {
            throw new ModelFormatException("input '" + in.name() + "' must be float32 images, it is "
                    + OnnxTensor.typeName(in.elemType()));
        }
        return in;
    }

    /** {@code [declared batch or -1, C, H, W]}. */
    private static long[] imageShape(OnnxValueInfo in) {
        List<OnnxValueInfo.Dim> d = in.dims();
        if (d.size() != 4 || !d.get(1).fixed() || !d.get(2).fixed() || !d.get(3).fixed()
                || d.get(1).value() < 1 || d.get(2).value() < 1 || d.get(3).value() < 1) {
            throw new ModelFormatException("input '" + in.name() + "' must be images [N, C, H, W] (NCHW) with fixed "
                    + "C, H and W, got " + d + " (export with a dummy input of the real image size)");
        }
        return new long[]{d.get(0).fixed() ? d.get(0).value() : -1, d.get(1).value(), d.get(2).value(), d.get(3).value()};
    }

    private static OnnxValueInfo output(OnnxGraph g) {
        if (g.outputs().size() != 1) {
            throw new ModelFormatException("the graph must have exactly one output (the logits), it has "
                    + g.outputs().stream().map(OnnxValueInfo::name).toList());
        }
        return g.outputs().get(0);
    }

    private static List<String> classNames(List<String> given, OnnxValueInfo output) {
        List<OnnxValueInfo.Dim> d = output.dims();
        long declared = d.size() == 2 && d.get(1).fixed() ? d.get(1).value() : -1;
        if (!given.isEmpty()) {
            if (declared >= 0 && declared != given.size()) {
                throw new ModelFormatException("the model has " + declared + " outputs but " + given.size()
                        + " class names were given: " + given);
            }
            return given;
        }
        if (declared < 2) {
            throw new ModelFormatException("output '" + output.name() + "' does not declare a class count of at least 2"
                    + " (shape " + d + "); give the class names");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < declared; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }
}
