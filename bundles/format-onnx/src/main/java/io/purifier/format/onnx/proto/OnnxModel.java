package io.purifier.format.onnx.proto;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ONNX {@code ModelProto}: format version, operator sets, producer, the graph and free-form metadata.
 *
 * @param irVersion       the ONNX IR version
 * @param opsets          operator set version by domain ({@code ""} is the default ONNX domain)
 * @param producerName    the tool that wrote the file
 * @param producerVersion its version
 * @param graph           the graph
 * @param metadata        {@code metadata_props}
 */
public record OnnxModel(long irVersion, Map<String, Long> opsets, String producerName, String producerVersion,
                        OnnxGraph graph, Map<String, String> metadata) {

    /** Copies the maps. */
    public OnnxModel {
        opsets = new LinkedHashMap<>(opsets);
        metadata = new LinkedHashMap<>(metadata);
    }

    /** The default domain's operator set version, or 0 when the file declares none. */
    public long defaultOpset() {
        Long v = opsets.containsKey("") ? opsets.get("") : opsets.get("ai.onnx");
        return v == null ? 0 : v;
    }
}
