package io.purifier.format.onnx.proto;

import java.util.Arrays;
import java.util.List;

/**
 * An ONNX {@code AttributeProto} of the kinds the importer reads: a float, an integer, a string, a tensor, or lists
 * of floats, integers or strings. Graph-valued attributes (control flow) are recorded by type only.
 *
 * @param name    attribute name
 * @param type    ONNX attribute type ({@link #FLOAT}, {@link #INT}, ...)
 * @param f       the float value
 * @param i       the integer value
 * @param s       the string value, or null
 * @param t       the tensor value, or null
 * @param floats  the float list ({@code []} when absent)
 * @param ints    the integer list ({@code []} when absent)
 * @param strings the string list
 */
public record OnnxAttribute(String name, int type, float f, long i, String s, OnnxTensor t, float[] floats, long[] ints,
                            List<String> strings) {

    /** A float. */
    public static final int FLOAT = 1;
    /** An integer. */
    public static final int INT = 2;
    /** A string. */
    public static final int STRING = 3;
    /** A tensor. */
    public static final int TENSOR = 4;
    /** A graph. */
    public static final int GRAPH = 5;
    /** A list of floats. */
    public static final int FLOATS = 6;
    /** A list of integers. */
    public static final int INTS = 7;
    /** A list of strings. */
    public static final int STRINGS = 8;

    /** An integer attribute. */
    public static OnnxAttribute ofInt(String name, long value) {
        return new OnnxAttribute(name, INT, 0, value, null, null, new float[0], new long[0], List.of());
    }

    /** A float attribute. */
    public static OnnxAttribute ofFloat(String name, float value) {
        return new OnnxAttribute(name, FLOAT, value, 0, null, null, new float[0], new long[0], List.of());
    }

    /** An integer-list attribute. */
    public static OnnxAttribute ofInts(String name, long... values) {
        return new OnnxAttribute(name, INTS, 0, 0, null, null, new float[0], values.clone(), List.of());
    }

    /** A string attribute. */
    public static OnnxAttribute ofString(String name, String value) {
        return new OnnxAttribute(name, STRING, 0, 0, value, null, new float[0], new long[0], List.of());
    }

    /** A tensor attribute. */
    public static OnnxAttribute ofTensor(String name, OnnxTensor value) {
        return new OnnxAttribute(name, TENSOR, 0, 0, null, value, new float[0], new long[0], List.of());
    }

    @Override
    public String toString() {
        return switch (type) {
            case FLOAT -> name + "=" + f;
            case INT -> name + "=" + i;
            case STRING -> name + "='" + s + "'";
            case FLOATS -> name + "=" + Arrays.toString(floats);
            case INTS -> name + "=" + Arrays.toString(ints);
            default -> name + "(type " + type + ")";
        };
    }
}
