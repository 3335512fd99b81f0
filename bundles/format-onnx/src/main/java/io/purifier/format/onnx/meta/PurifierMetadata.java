package io.purifier.format.onnx.meta;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.data.Normalization;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an exported ONNX file keeps of an engine model in its {@code metadata_props}, so that importing it again
 * restores the model as it was: class names, the normalization (left out of the graph), the layer names with the
 * nodes they point at, and the model's provenance properties. Values are JSON; files without these keys (every file
 * not written by Purifier) simply have none.
 *
 * @param classNames    the class names, or empty
 * @param normalization the normalization the graph's input already has, or null
 * @param pixelInput    whether the graph takes [0, 1] pixels (its normalization is inside the graph)
 * @param layers        layer name → node, in forward order (empty when absent)
 * @param properties    provenance properties (empty when absent)
 */
public record PurifierMetadata(List<String> classNames, Normalization normalization, boolean pixelInput,
                               Map<String, String> layers, Map<String, String> properties) {

    /** Key of the class names (a JSON array of strings). */
    public static final String CLASS_NAMES = "purifier.classNames";
    /** Key of the normalization ({@code {"mean": [...], "std": [...]}}). */
    public static final String NORMALIZATION = "purifier.normalization";
    /** Key of the input kind: {@code normalized} or {@code pixels}. */
    public static final String INPUT = "purifier.input";
    /** Key of the layer names (a JSON object layer → node). */
    public static final String LAYERS = "purifier.layers";
    /** Key of the provenance properties (a JSON object). */
    public static final String PROPERTIES = "purifier.properties";
    /** Key of the architecture id of the exported model (informative). */
    public static final String ARCHITECTURE = "purifier.architecture";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the collections. */
    public PurifierMetadata {
        classNames = List.copyOf(classNames);
        layers = new LinkedHashMap<>(layers);
        properties = new LinkedHashMap<>(properties);
    }

    /**
     * Reads the Purifier keys of a file's metadata.
     *
     * @throws IllegalArgumentException naming the key whose value is malformed
     */
    public static PurifierMetadata read(Map<String, String> metadata) {
        List<String> names = parse(metadata, CLASS_NAMES, new TypeReference<List<String>>() { }, List.of());
        Map<String, List<Double>> norm = parse(metadata, NORMALIZATION, new TypeReference<Map<String, List<Double>>>() { },
                null);
        Normalization normalization = null;
        if (norm != null) {
            try {
                normalization = new Normalization(doubles(norm.get("mean")), doubles(norm.get("std")));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("metadata '" + NORMALIZATION + "' is malformed: " + e.getMessage());
            }
        }
        Map<String, String> layers = parse(metadata, LAYERS, new TypeReference<LinkedHashMap<String, String>>() { },
                new LinkedHashMap<>());
        Map<String, String> props = parse(metadata, PROPERTIES, new TypeReference<LinkedHashMap<String, String>>() { },
                new LinkedHashMap<>());
        return new PurifierMetadata(names, normalization, "pixels".equals(metadata.get(INPUT)), layers, props);
    }

    /** The metadata entries for a file. */
    public Map<String, String> write(String architecture) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            out.put(ARCHITECTURE, architecture);
            out.put(CLASS_NAMES, JSON.writeValueAsString(classNames));
            if (normalization != null) {
                out.put(NORMALIZATION, JSON.writeValueAsString(Map.of("mean", normalization.mean(),
                        "std", normalization.std())));
            }
            out.put(INPUT, pixelInput ? "pixels" : "normalized");
            out.put(LAYERS, JSON.writeValueAsString(layers));
            out.put(PROPERTIES, JSON.writeValueAsString(properties));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write metadata", e);
        }
        return out;
    }

    private static <T> T parse(Map<String, String> metadata, String key, TypeReference<T> type, T fallback) {
        String raw = metadata.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            T value = JSON.readValue(raw, type);
            return value == null ? fallback : value;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("metadata '" + key + "' is not valid JSON of the expected kind: "
                    + e.getOriginalMessage());
        }
    }

    private static double[] doubles(List<Double> values) {
        if (values == null) {
            throw new IllegalArgumentException("mean and std are required");
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
