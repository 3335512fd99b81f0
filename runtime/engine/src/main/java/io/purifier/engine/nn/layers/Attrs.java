package io.purifier.engine.nn.layers;

import io.purifier.api.InvalidInputException;

import java.util.List;
import java.util.Map;

/** Reads layer attributes from a model file's JSON map with clear errors. */
final class Attrs {

    private final String type;
    private final Map<String, Object> map;

    Attrs(String type, Map<String, Object> map) {
        this.type = type;
        this.map = map;
    }

    int integer(String key) {
        Object v = required(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw bad(key, "an integer", v);
    }

    int integer(String key, int fallback) {
        return map.containsKey(key) ? integer(key) : fallback;
    }

    double real(String key) {
        Object v = required(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw bad(key, "a number", v);
    }

    double real(String key, double fallback) {
        return map.containsKey(key) ? real(key) : fallback;
    }

    boolean bool(String key, boolean fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw bad(key, "true or false", v);
    }

    int[] ints(String key, int size) {
        Object v = required(key);
        if (v instanceof List<?> list && list.size() == size) {
            int[] out = new int[size];
            for (int i = 0; i < size; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw bad(key, size + " integers", v);
                }
                out[i] = n.intValue();
            }
            return out;
        }
        throw bad(key, size + " integers", v);
    }

    private Object required(String key) {
        Object v = map.get(key);
        if (v == null) {
            throw new InvalidInputException("layer type '" + type + "' needs attribute '" + key + "'");
        }
        return v;
    }

    private InvalidInputException bad(String key, String what, Object v) {
        return new InvalidInputException("attribute '" + key + "' of layer type '" + type + "' must be " + what
                + ", got " + v);
    }
}
