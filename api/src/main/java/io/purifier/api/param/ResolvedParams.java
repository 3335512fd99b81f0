package io.purifier.api.param;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter values after {@link ParamDescriptor#resolve}: every declared parameter present, typed and checked.
 * This is what plugins read and what the run history stores.
 */
public final class ResolvedParams {

    private final Map<String, Object> values;

    ResolvedParams(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The integer parameter {@code name}. */
    public int integer(String name) {
        return ((Number) get(name)).intValue();
    }

    /** The real parameter {@code name}. */
    public double real(String name) {
        return ((Number) get(name)).doubleValue();
    }

    /** The boolean parameter {@code name}. */
    public boolean bool(String name) {
        return (Boolean) get(name);
    }

    /** The text or choice parameter {@code name}. */
    public String text(String name) {
        return (String) get(name);
    }

    /** The real-list parameter {@code name}. */
    @SuppressWarnings("unchecked")
    public List<Double> realList(String name) {
        return (List<Double>) get(name);
    }

    /** All values by name, in descriptor order (Integer, Double, Boolean, String or List&lt;Double&gt;). */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object get(String name) {
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "' (declared: " + values.keySet() + ")");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolvedParams other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
