package io.purifier.server.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Live events of runs (status, progress, logs, curve points) and of the plugin registry, for SSE clients. */
public final class RunEvents {

    private static final Logger LOG = LoggerFactory.getLogger(RunEvents.class);

    /**
     * One event.
     *
     * @param type  "run", "step", "log", "curve", "metric" or "registry"
     * @param runId the run, or null for registry events
     * @param data  the payload (serialised as JSON)
     */
    public record Event(String type, Long runId, Map<String, Object> data) {
    }

    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    /** Subscribes; the returned runnable unsubscribes. */
    public Runnable subscribe(Consumer<Event> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Delivers an event to every listener; a failing listener is dropped. */
    public void publish(Event event) {
        for (Consumer<Event> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.debug("dropping event listener after failure: {}", e.toString());
                listeners.remove(listener);
            }
        }
    }
}
