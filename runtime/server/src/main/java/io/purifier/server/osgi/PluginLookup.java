package io.purifier.server.osgi;

import io.purifier.api.Plugin;
import io.purifier.api.PluginKind;

import java.util.List;
import java.util.Optional;

/**
 * Finding installed plugins for one use. {@link PluginRegistry} answers from the framework's service registry; the
 * run path depends only on this, so its parts are tested with fakes.
 */
public interface PluginLookup {

    /** The plugin of {@code kind} with {@code id}, with the identity of its bundle, for one use. */
    <T extends Plugin> Optional<PluginRegistry.Found<T>> find(PluginKind kind, String id, Class<T> type);

    /** Every plugin of {@code kind}, sorted by id. */
    List<ComponentInfo> list(PluginKind kind);
}
