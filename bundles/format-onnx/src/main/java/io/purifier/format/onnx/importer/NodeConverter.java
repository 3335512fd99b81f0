package io.purifier.format.onnx.importer;

import io.purifier.format.onnx.proto.OnnxNode;

/** Converts one ONNX node: reads its inputs from the context, adds engine nodes or folds constants, defines its outputs. */
@FunctionalInterface
interface NodeConverter {

    /**
     * Converts {@code node}.
     *
     * @throws io.purifier.api.model.ModelFormatException naming the node when it cannot be converted
     */
    void convert(OnnxNode node, ImportContext ctx);
}
