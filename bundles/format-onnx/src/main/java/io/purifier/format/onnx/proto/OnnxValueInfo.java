package io.purifier.format.onnx.proto;

import java.util.List;

/**
 * An ONNX {@code ValueInfoProto} of a tensor: name, element type and shape.
 *
 * @param name     value name
 * @param elemType element type ({@link OnnxTensor#FLOAT}, ...; 0 when not a tensor or not given)
 * @param dims     dimensions (empty when the shape is not given)
 */
public record OnnxValueInfo(String name, int elemType, List<Dim> dims) {

    /**
     * One dimension: a fixed size, or a symbolic name, or neither (unknown).
     *
     * @param value the size, or -1 when not fixed
     * @param param the symbolic name, or null
     */
    public record Dim(long value, String param) {

        /** Whether the size is fixed. */
        public boolean fixed() {
            return value >= 0;
        }

        @Override
        public String toString() {
            return fixed() ? Long.toString(value) : param == null ? "?" : param;
        }
    }

    /** Copies the dimensions. */
    public OnnxValueInfo {
        dims = List.copyOf(dims);
    }
}
