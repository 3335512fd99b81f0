package io.purifier.api;

import io.purifier.api.attack.Attack;
import io.purifier.api.data.DatasetProvider;
import io.purifier.api.defense.Defense;
import io.purifier.api.metric.Metric;
import io.purifier.api.model.ModelFormat;

import java.util.Locale;

/** The five kinds of plugin, each with the service interface it is registered under. */
public enum PluginKind {
    /** Reads (and optionally writes) model files. */
    MODEL_FORMAT(ModelFormat.class),
    /** Supplies train/test image sets. */
    DATASET(DatasetProvider.class),
    /** Poisons data so that a trained model carries a backdoor. */
    ATTACK(Attack.class),
    /** Purifies a (possibly) backdoored model. */
    DEFENSE(Defense.class),
    /** Turns predictions into numbers (C-ACC, ASR, ...). */
    METRIC(Metric.class);

    private final Class<? extends Plugin> serviceType;

    PluginKind(Class<? extends Plugin> serviceType) {
        this.serviceType = serviceType;
    }

    /** The service interface plugins of this kind register under. */
    public Class<? extends Plugin> serviceType() {
        return serviceType;
    }

    /** The lower-case, hyphenated form used in JSON and URLs, for example {@code model-format}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses the JSON form (also accepts the enum constant name).
     *
     * @throws IllegalArgumentException naming the unknown value and the accepted ones
     */
    public static PluginKind fromJson(String value) {
        for (PluginKind kind : values()) {
            if (kind.jsonName().equalsIgnoreCase(value) || kind.name().equalsIgnoreCase(value)) {
                return kind;
            }
        }
        StringBuilder accepted = new StringBuilder();
        for (PluginKind kind : values()) {
            accepted.append(accepted.length() == 0 ? "" : ", ").append(kind.jsonName());
        }
        throw new IllegalArgumentException("unknown plugin kind '" + value + "' (expected one of: " + accepted + ")");
    }
}
