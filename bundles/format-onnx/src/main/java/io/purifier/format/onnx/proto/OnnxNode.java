package io.purifier.format.onnx.proto;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX {@code NodeProto}: one operator application.
 *
 * @param name       node name (may be empty)
 * @param opType     operator, for example {@code Conv}
 * @param domain     operator set domain ({@code ""} is the default ONNX domain)
 * @param inputs     input value names ({@code ""} marks an omitted optional input)
 * @param outputs    output value names
 * @param attributes attributes by name
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       Map<String, OnnxAttribute> attributes) {

    /** Copies the collections. */
    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = new LinkedHashMap<>(attributes);
    }

    /** A node of the default domain with attributes. */
    public static OnnxNode of(String name, String opType, List<String> inputs, List<String> outputs,
                              OnnxAttribute... attributes) {
        Map<String, OnnxAttribute> map = new LinkedHashMap<>();
        for (OnnxAttribute a : attributes) {
            map.put(a.name(), a);
        }
        return new OnnxNode(name, opType, "", inputs, outputs, map);
    }

    /** How the node is named in messages: {@code Conv node '/layer1/conv/Conv'}. */
    public String describe() {
        return opType + " node '" + (name.isEmpty() ? String.join(",", outputs) : name) + "'";
    }
}
