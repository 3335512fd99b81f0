package io.purifier.api;

/**
 * The plugin contract's service properties. Every plugin service carries {@link #ID} (its {@link Plugin#id()})
 * and {@link #KIND} (its {@link PluginKind#jsonName()}); the host selects plugins by these properties. Set them with
 * the component property type {@link PurifierPlugin} rather than by hand.
 */
public final class PluginProperties {

    /** The prefix of every Purifier service property. */
    public static final String PREFIX = "purifier.";

    /** The service property holding the plugin id, equal to {@link Plugin#id()}. */
    public static final String ID = PREFIX + "id";

    /** The service property holding the plugin kind, one of the {@code KIND_*} values. */
    public static final String KIND = PREFIX + "kind";

    /** {@link #KIND} of a {@link io.purifier.api.model.ModelFormat}. */
    public static final String KIND_MODEL_FORMAT = "model-format";

    /** {@link #KIND} of a {@link io.purifier.api.data.DatasetProvider}. */
    public static final String KIND_DATASET = "dataset";

    /** {@link #KIND} of an {@link io.purifier.api.attack.Attack}. */
    public static final String KIND_ATTACK = "attack";

    /** {@link #KIND} of a {@link io.purifier.api.defense.Defense}. */
    public static final String KIND_DEFENSE = "defense";

    /** {@link #KIND} of a {@link io.purifier.api.metric.Metric}. */
    public static final String KIND_METRIC = "metric";

    private PluginProperties() {
    }

    /** The {@link #KIND} value of {@code kind} (its JSON name). */
    public static String kindValue(PluginKind kind) {
        return kind.jsonName();
    }
}
