package io.purifier.engine.nn;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.nn.layers.BuiltInLayers;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Recreates layers from their type id and attributes (model files). The engine's layers are registered here;
 * an importer or a plugin may register further types before loading files that use them.
 */
public final class LayerTypes {

    private static final Map<String, Function<Map<String, Object>, Layer>> FACTORIES = new ConcurrentHashMap<>();

    static {
        BuiltInLayers.register();
    }

    private LayerTypes() {
    }

    /** Registers a layer type (replacing an earlier registration of the same id). */
    public static void register(String type, Function<Map<String, Object>, Layer> factory) {
        FACTORIES.put(type, factory);
    }

    /** The registered type ids. */
    public static Set<String> types() {
        return Set.copyOf(FACTORIES.keySet());
    }

    /**
     * The layer of this type with these attributes.
     *
     * @throws InvalidInputException naming an unknown type or a bad attribute
     */
    public static Layer create(String type, Map<String, Object> attributes) {
        Function<Map<String, Object>, Layer> f = FACTORIES.get(type);
        if (f == null) {
            throw new InvalidInputException("unknown layer type '" + type + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(FACTORIES.keySet())) + ")");
        }
        return f.apply(attributes);
    }
}
