package io.purifier.format.onnx.importer;

import io.purifier.api.model.ModelFormatException;
import io.purifier.format.onnx.proto.OnnxAttribute;
import io.purifier.format.onnx.proto.OnnxNode;

import java.util.Arrays;

/** Typed access to a node's attributes with defaults, and errors that name the node and the attribute. */
final class NodeAttributes {

    private final OnnxNode node;

    NodeAttributes(OnnxNode node) {
        this.node = node;
    }

    boolean has(String name) {
        return node.attributes().containsKey(name);
    }

    long integer(String name, long fallback) {
        OnnxAttribute a = node.attributes().get(name);
        if (a == null) {
            return fallback;
        }
        if (a.type() != OnnxAttribute.INT && a.type() != 0) {
            throw bad(name, "an integer", a);
        }
        return a.i();
    }

    double real(String name, double fallback) {
        OnnxAttribute a = node.attributes().get(name);
        if (a == null) {
            return fallback;
        }
        if (a.type() != OnnxAttribute.FLOAT && a.type() != 0) {
            throw bad(name, "a float", a);
        }
        return a.f();
    }

    String text(String name, String fallback) {
        OnnxAttribute a = node.attributes().get(name);
        if (a == null) {
            return fallback;
        }
        if (a.type() != OnnxAttribute.STRING && a.type() != 0 || a.s() == null) {
            throw bad(name, "a string", a);
        }
        return a.s();
    }

    /** An integer list, or {@code fallback} (may be null) when absent. */
    long[] ints(String name, long[] fallback) {
        OnnxAttribute a = node.attributes().get(name);
        if (a == null) {
            return fallback;
        }
        if (a.type() != OnnxAttribute.INTS && a.type() != 0) {
            throw bad(name, "a list of integers", a);
        }
        return a.ints();
    }

    /** An integer list of exactly {@code size} values that fit an int, or {@code fallback} when absent. */
    int[] ints(String name, int size, int[] fallback) {
        long[] v = ints(name, (long[]) null);
        if (v == null) {
            return fallback;
        }
        if (v.length != size) {
            throw problem("attribute '" + name + "' must have " + size + " values, got " + Arrays.toString(v));
        }
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }

    OnnxAttribute raw(String name) {
        return node.attributes().get(name);
    }

    /** A problem with this node. */
    ModelFormatException problem(String message) {
        return new ModelFormatException(node.describe() + ": " + message);
    }

    private ModelFormatException bad(String name, String expected, OnnxAttribute a) {
        return problem("attribute '" + name + "' must be " + expected + ", got " + a);
    }
}
