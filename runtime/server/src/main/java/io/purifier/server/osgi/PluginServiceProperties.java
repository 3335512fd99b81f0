package io.purifier.server.osgi;

import io.purifier.api.PluginKind;
import io.purifier.api.PluginProperties;
import org.osgi.framework.ServiceReference;

import java.util.Optional;

/**
 * The plugin contract's service properties ({@link PluginProperties}) as the host reads them: a plugin service is
 * selectable when its {@code purifier.id} equals its {@code id()} and its {@code purifier.kind} names the interface
 * it is registered under. The registry selects by these properties; the upload check refuses a bundle whose
 * plugins break the contract, with {@link #problem} as the message.
 */
public final class PluginServiceProperties {

    private PluginServiceProperties() {
    }

    /** The {@code purifier.id} property of {@code ref}, if it is a string. */
    public static Optional<String> id(ServiceReference<?> ref) {
        return ref.getProperty(PluginProperties.ID) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /**
     * What is wrong with the properties of a plugin service of {@code kind} whose {@code id()} answered
     * {@code pluginId}, or empty when they follow the contract.
     */
    public static Optional<String> problem(ServiceReference<?> ref, PluginKind kind, String pluginId) {
        Object id = ref.getProperty(PluginProperties.ID);
        Object kindValue = ref.getProperty(PluginProperties.KIND);
        String hint = " (annotate the component with @PurifierPlugin(id = \"" + pluginId + "\", kind = \""
                + kind.jsonName() + "\"))";
        if (id == null) {
            return Optional.of("its " + kind.jsonName() + " '" + pluginId + "' has no service property "
                    + PluginProperties.ID + hint);
        }
        if (!(id instanceof String) || !id.equals(pluginId)) {
            return Optional.of("its " + kind.jsonName() + " '" + pluginId + "' has the service property "
                    + PluginProperties.ID + "=" + id + ", which differs from its id() '" + pluginId + "'" + hint);
        }
        if (!kind.jsonName().equals(kindValue)) {
            return Optional.of("its " + kind.jsonName() + " '" + pluginId + "' has the service property "
                    + PluginProperties.KIND + "=" + kindValue + " but is registered as a " + kind.serviceType().getSimpleName()
                    + " (expected " + PluginProperties.KIND + "=" + kind.jsonName() + ")" + hint);
        }
        return Optional.empty();
    }
}
