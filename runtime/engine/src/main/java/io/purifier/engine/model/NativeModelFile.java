package io.purifier.engine.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.purifier.api.InvalidInputException;
import io.purifier.api.data.Normalization;
import io.purifier.api.model.ModelFormatException;
import io.purifier.data.BoundedZip;
import org.nd4j.autodiff.samediff.SameDiff;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The engine's own model file: a zip with {@value #GRAPH_ENTRY} (the SameDiff graph with every array, as
 * SameDiff's FlatBuffers serialisation) and {@value #METADATA_ENTRY} (architecture, recipe, input shape,
 * classes, normalization, layers, parameters with initialisers, batch-norm layers, frozen set, properties).
 * The round trip is bit-exact.
 */
public final class NativeModelFile {

    /** The metadata entry name. */
    public static final String METADATA_ENTRY = "purifier-model.json";
    /** The graph entry name. */
    public static final String GRAPH_ENTRY = "graph.fb";
    /** The {@code format} value in the metadata. */
    public static final String FORMAT = "purifier-native";
    /** The metadata version this class writes and reads. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private NativeModelFile() {
    }

    /**
     * Writes {@code model} to {@code file} (atomically: a temporary file next to it is moved into place).
     *
     * @throws ModelFormatException when the file cannot be written
     */
    public static void save(EngineModel model, Path file) throws ModelFormatException {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    write(model, out);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ModelFormatException("cannot write model file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @throws ModelFormatException when the file is missing, not a zip, not a Purifier model, of a newer
     *                              version, or its graph does not match its metadata
     */
    public static EngineModel load(Path file) throws ModelFormatException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException("model file " + file + " does not exist or is not a file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new ModelFormatException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Serialises to bytes (used by {@link EngineModel#copy()}). */
    static byte[] toBytes(EngineModel model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(model, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Deserialises bytes written by {@link #toBytes}. */
    static EngineModel fromBytes(byte[] bytes) {
        return read(new ByteArrayInputStream(bytes), "in-memory copy");
    }

    /** Writes the zip to {@code out} (not closed). */
    public static void write(EngineModel model, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry(METADATA_ENTRY));
        zip.write(JSON.writeValueAsBytes(metadata(model)));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(GRAPH_ENTRY));
        ByteArrayOutputStream graph = new ByteArrayOutputStream();
        synchronized (model) {
            model.sameDiff().save(graph, false);
        }
        graph.writeTo(zip);
        zip.closeEntry();
        zip.finish();
    }

    /**
     * Reads a zip from {@code in}.
     *
     * @param source names the source in error messages
     * @throws ModelFormatException when the content is not a valid Purifier native model
     */
    public static EngineModel read(InputStream in, String source) throws ModelFormatException {
        byte[] meta;
        byte[] graph;
        try {
            Map<String, byte[]> entries = BoundedZip.read(in, Set.of(METADATA_ENTRY, GRAPH_ENTRY), BoundedZip.Limits.forModels(), source);
            meta = entries.get(METADATA_ENTRY);
            graph = entries.get(GRAPH_ENTRY);
        } catch (InvalidInputException e) {
            throw new ModelFormatException(source + " is not a Purifier model file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + source + ": " + e.getMessage(), e);
        }
        if (meta == null) {
            throw new ModelFormatException(source + " is not a Purifier model file: missing " + METADATA_ENTRY);
        }
        if (graph == null) {
            throw new ModelFormatException(source + " is a damaged Purifier model file: missing " + GRAPH_ENTRY);
        }
        Map<String, Object> m;
        try {
            m = JSON.readValue(meta, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new ModelFormatException(source + ": " + METADATA_ENTRY + " is not valid JSON (" + e.getMessage() + ")", e);
        }
        if (!FORMAT.equals(m.get("format"))) {
            throw new ModelFormatException(source + ": " + METADATA_ENTRY + " has format " + m.get("format")
                    + ", expected " + FORMAT);
        }
        if (!(m.get("version") instanceof Integer v) || v > VERSION || v < 1) {
            throw new ModelFormatException(source + ": unsupported model file version " + m.get("version")
                    + " (this engine reads version " + VERSION + ")");
        }
        SameDiff sd;
        try {
            sd = SameDiff.load(new ByteArrayInputStream(graph), false);
        } catch (RuntimeException | Error e) {
            throw new ModelFormatException(source + ": " + GRAPH_ENTRY + " is not a readable SameDiff graph ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        try {
            return fromMetadata(sd, m, source);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + METADATA_ENTRY + " is malformed (" + e.getMessage() + ")", e);
        }
    }

    private static Map<String, Object> metadata(EngineModel model) {
        synchronized (model) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", FORMAT);
            m.put("version", VERSION);
            m.put("architecture", model.architectureId());
            m.put("recipe", model.recipe());
            m.put("seed", model.seed());
            var info = model.info();
            m.put("channels", info.channels());
            m.put("height", info.height());
            m.put("width", info.width());
            m.put("classNames", info.classNames());
            m.put("normalization", Map.of("mean", info.normalization().mean(), "std", info.normalization().std()));
            List<Map<String, Object>> layers = new ArrayList<>();
            model.layerOutputMap().forEach((name, out) -> layers.add(Map.of("name", name, "output", out)));
            m.put("layers", layers);
            List<Map<String, Object>> params = new ArrayList<>();
            model.initializerMap().forEach((name, init) -> params.add(Map.of("name", name, "init", init.kind().name(),
                    "scale", init.scale())));
            m.put("parameters", params);
            List<Map<String, Object>> bns = new ArrayList<>();
            for (BatchNormLayer bn : model.batchNormLayers()) {
                bns.add(Map.of("name", bn.name(), "channels", bn.channels()));
            }
            m.put("batchNorm", bns);
            m.put("frozen", List.copyOf(model.frozenParameters()));
            m.put("properties", model.propertyMap());
            return m;
        }
    }

    @SuppressWarnings("unchecked")
    private static EngineModel fromMetadata(SameDiff sd, Map<String, Object> m, String source) {
        Map<String, Object> norm = (Map<String, Object>) m.get("normalization");
        Normalization normalization = new Normalization(doubles((List<Number>) norm.get("mean")),
                doubles((List<Number>) norm.get("std")));
        EngineModel model = new EngineModel(sd, (String) m.get("architecture"), (Map<String, Object>) m.get("recipe"),
                (Integer) m.get("channels"), (Integer) m.get("height"), (Integer) m.get("width"),
                (List<String>) m.get("classNames"), normalization, ((Number) m.get("seed")).longValue());
        for (String required : List.of(GraphNames.INPUT, GraphNames.BN_MODE, GraphNames.LOGITS)) {
            requireVar(sd, required, source);
        }
        for (Map<String, Object> layer : (List<Map<String, Object>>) m.get("layers")) {
            String out = (String) layer.get("output");
            requireVar(sd, out, source);
            model.addLayer((String) layer.get("name"), out, null);
        }
        for (Map<String, Object> p : (List<Map<String, Object>>) m.get("parameters")) {
            String name = (String) p.get("name");
            requireVar(sd, name, source);
            model.addParameter(name, new ParamInit(ParamInit.Kind.valueOf((String) p.get("init")),
                    ((Number) p.get("scale")).doubleValue()));
        }
        for (Map<String, Object> b : (List<Map<String, Object>>) m.get("batchNorm")) {
            BatchNormLayer bn = BatchNormLayer.named((String) b.get("name"), (Integer) b.get("channels"));
            for (String v : List.of(bn.gamma(), bn.beta(), bn.runningMean(), bn.runningVar(), bn.batchMean(),
                    bn.batchVar(), bn.trainGate(), bn.batchCount())) {
                requireVar(sd, v, source);
            }
            model.addBatchNorm(bn);
        }
        model.freeze((List<String>) m.get("frozen"));
        ((Map<String, Object>) m.get("properties")).forEach((k, v) -> model.setProperty(k, String.valueOf(v)));
        return model;
    }

    private static void requireVar(SameDiff sd, String name, String source) {
        if (name == null || !sd.hasVariable(name)) {
            throw new ModelFormatException(source + ": the graph has no variable '" + name + "' named in "
                    + METADATA_ENTRY);
        }
    }

    private static double[] doubles(List<Number> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).doubleValue();
        }
        return out;
    }
}
