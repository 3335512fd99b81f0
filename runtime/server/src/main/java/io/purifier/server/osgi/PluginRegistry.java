package io.purifier.server.osgi;

import io.purifier.api.Plugin;
import io.purifier.api.PluginKind;
import io.purifier.api.defense.Defense;
import io.purifier.api.model.ModelFormat;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One {@link ServiceTracker} per plugin kind. Plugins are selected by their service properties ({@code purifier.id},
 * {@code purifier.kind}: {@link PluginServiceProperties}); a service whose properties break the contract is not
 * listed and cannot be found (a warning names it). Plugins are looked up per use (never cached by the host), so a
 * bundle update takes effect at the next step while a running step finishes on the instance it started with.
 */
public final class PluginRegistry implements PluginLookup, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    /**
     * A registry change.
     *
     * @param kind   the plugin kind
     * @param id     the plugin id (null when the service failed to activate)
     * @param change "added", "modified" or "removed"
     * @param bundle the providing bundle's symbolic name
     */
    public record Change(PluginKind kind, String id, String change, String bundle) {
    }

    /**
     * A plugin found for one use, with the identity of its bundle.
     *
     * @param plugin the service object
     * @param bundle its bundle
     * @param <T>    the kind's interface
     */
    public record Found<T extends Plugin>(T plugin, BundleIdentity bundle) {
    }

    private final Map<PluginKind, ServiceTracker<Plugin, Plugin>> trackers = new EnumMap<>(PluginKind.class);
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

    /** Opens one tracker per kind on {@code context}. */
    public PluginRegistry(BundleContext context) {
        for (PluginKind kind : PluginKind.values()) {
            @SuppressWarnings("unchecked")
            Class<Plugin> type = (Class<Plugin>) kind.serviceType();
            ServiceTracker<Plugin, Plugin> tracker = new ServiceTracker<>(context, type, new Customizer(context, kind));
            tracker.open();
            trackers.put(kind, tracker);
        }
    }

    /** Calls {@code listener} on every change (from framework threads). */
    public void addListener(Consumer<Change> listener) {
        listeners.add(listener);
    }

    /** Removes a listener. */
    public void removeListener(Consumer<Change> listener) {
        listeners.remove(listener);
    }

    /** Every plugin of {@code kind}, sorted by id; plugins whose metadata methods throw are skipped and logged. */
    @Override
    public List<ComponentInfo> list(PluginKind kind) {
        List<ComponentInfo> out = new ArrayList<>();
        ServiceTracker<Plugin, Plugin> tracker = trackers.get(kind);
        ServiceReference<Plugin>[] refs = tracker.getServiceReferences();
        if (refs == null) {
            return out;
        }
        for (ServiceReference<Plugin> ref : refs) {
            Plugin plugin = tracker.getService(ref);
            if (plugin == null || ref.getBundle() == null) {
                continue;
            }
            try {
                Optional<String> problem = PluginServiceProperties.problem(ref, kind, plugin.id());
                if (problem.isPresent()) {
                    LOG.warn("bundle {} is skipped: {}", ref.getBundle().getSymbolicName(), problem.get());
                    continue;
                }
                out.add(describe(kind, plugin, BundleIdentity.of(ref.getBundle())));
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("plugin of kind {} from bundle {} cannot describe itself: {}", kind.jsonName(),
                        ref.getBundle().getSymbolicName(), e.toString());
            }
        }
        out.sort(Comparator.comparing(ComponentInfo::id));
        return out;
    }

    /** Every plugin of every kind. */
    public List<ComponentInfo> listAll() {
        List<ComponentInfo> all = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            all.addAll(list(kind));
        }
        return all;
    }

    /**
     * The plugin of {@code kind} with {@code id}, for one use, selected by the service property {@code purifier.id}.
     * With several providers of one id, the service with the highest ranking (then the newest) wins.
     */
    @Override
    public <T extends Plugin> Optional<Found<T>> find(PluginKind kind, String id, Class<T> type) {
        ServiceTracker<Plugin, Plugin> tracker = trackers.get(kind);
        ServiceReference<Plugin>[] refs = tracker.getServiceReferences();
        if (refs == null) {
            return Optional.empty();
        }
        Arrays.sort(refs, Comparator.reverseOrder());
        for (ServiceReference<Plugin> ref : refs) {
            if (!PluginServiceProperties.id(ref).map(id::equals).orElse(false)) {
                continue;
            }
            Plugin plugin = tracker.getService(ref);
            String pluginId = plugin == null ? null : safeId(plugin);
            if (pluginId != null && ref.getBundle() != null && PluginServiceProperties.problem(ref, kind, pluginId).isEmpty()) {
                return Optional.of(new Found<>(type.cast(plugin), BundleIdentity.of(ref.getBundle())));
            }
        }
        return Optional.empty();
    }

    /** Whether a plugin of {@code kind} with {@code id} is installed. */
    public boolean has(PluginKind kind, String id) {
        return find(kind, id, Plugin.class).isPresent();
    }

    /** The ids of installed plugins of {@code kind}, sorted. */
    public List<String> ids(PluginKind kind) {
        return list(kind).stream().map(ComponentInfo::id).toList();
    }

    static ComponentInfo describe(PluginKind kind, Plugin plugin, BundleIdentity bundle) {
        return new ComponentInfo(plugin.id(), kind.jsonName(), plugin.name(), plugin.description(),
                plugin.parameters().specs(),
                plugin instanceof Defense d ? d.dataContract() : null,
                plugin instanceof ModelFormat f ? f.fileExtensions() : List.of(),
                plugin instanceof ModelFormat f && f.canSave(),
                bundle);
    }

    private static String safeId(Plugin plugin) {
        try {
            return plugin.id();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    @Override
    public void close() {
        trackers.values().forEach(ServiceTracker::close);
    }

    private final class Customizer implements ServiceTrackerCustomizer<Plugin, Plugin> {
        private final BundleContext context;
        private final PluginKind kind;

        Customizer(BundleContext context, PluginKind kind) {
            this.context = context;
            this.kind = kind;
        }

        @Override
        public Plugin addingService(ServiceReference<Plugin> ref) {
            Plugin plugin = context.getService(ref);
            if (plugin != null) {
                fire(ref, plugin, "added");
            }
            return plugin;
        }

        @Override
        public void modifiedService(ServiceReference<Plugin> ref, Plugin plugin) {
            fire(ref, plugin, "modified");
        }

        @Override
        public void removedService(ServiceReference<Plugin> ref, Plugin plugin) {
            fire(ref, plugin, "removed");
            context.ungetService(ref);
        }

        private void fire(ServiceReference<Plugin> ref, Plugin plugin, String change) {
            String bsn = ref.getBundle() == null ? null : ref.getBundle().getSymbolicName();
            Change event = new Change(kind, safeId(plugin), change, bsn);
            LOG.info("plugin {} {} ({} from {})", event.id(), change, kind.jsonName(), bsn);
            for (Consumer<Change> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("registry listener failed: {}", e.toString());
                }
            }
        }
    }
}
