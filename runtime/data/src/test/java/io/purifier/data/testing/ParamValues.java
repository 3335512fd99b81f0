package io.purifier.data.testing;

import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ResolvedParams;

import java.util.HashMap;
import java.util.Map;

/** Resolves parameters for plugin tests from alternating names and values. */
public final class ParamValues {

    private ParamValues() {
    }

    /**
     * {@code descriptor.resolve} of the map {@code name1 -> value1, name2 -> value2, ...}; parameters not named take
     * their defaults.
     *
     * @param nameValue alternating parameter names (strings) and values
     * @throws IllegalArgumentException when the names and values do not pair up
     */
    public static ResolvedParams resolve(ParamDescriptor descriptor, Object... nameValue) {
        if (nameValue.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate, got " + nameValue.length + " items");
        }
        Map<String, Object> raw = new HashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            raw.put((String) nameValue[i], nameValue[i + 1]);
        }
        return descriptor.resolve(raw);
    }
}
