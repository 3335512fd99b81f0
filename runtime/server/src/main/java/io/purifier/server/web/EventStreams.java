package io.purifier.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.sse.SseClient;
import io.purifier.server.auth.Role;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.pipeline.RunEvents;
import io.purifier.server.store.RunStore;
import io.purifier.server.store.UserStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Server-sent events: {@code /api/events} streams every run's status and progress plus registry changes;
 * {@code /api/runs/{id}/events} streams one run (status, step progress, logs, curve points, metrics).
 */
final class EventStreams implements Endpoints, AutoCloseable {

    private final RunEvents events;
    private final PluginRegistry registry;
    private final UserStore users;
    private final RunStore runStore;
    private final ObjectMapper json;
    private final ServerPaths paths;
    private final Map<SseClient, String> clients = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "purifier-sse-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final Consumer<PluginRegistry.Change> registryListener;
    private final Consumer<String> revocationListener = this::closeStreamsOf;

    /**
     * @param events   the live events of runs (and registry changes, published here)
     * @param registry the plugin registry, whose changes are streamed
     * @param users    users, whose revocation ends their streams
     * @param runStore run history, for a run stream's first snapshot
     * @param json     the JSON mapper
     * @param paths    hides server paths in events
     */
    EventStreams(RunEvents events, PluginRegistry registry, UserStore users, RunStore runStore, ObjectMapper json, ServerPaths paths) {
        this.events = events;
        this.registry = registry;
        this.users = users;
        this.runStore = runStore;
        this.json = json;
        this.paths = paths;
        this.registryListener = change -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("kind", change.kind().jsonName());
            data.put("id", change.id());
            data.put("change", change.change());
            data.put("bundle", change.bundle());
            events.publish(new RunEvents.Event("registry", null, data));
        };
        registry.addListener(registryListener);
        users.addRevocationListener(revocationListener);
        heartbeat.scheduleAtFixedRate(() -> clients.keySet().forEach(c -> c.sendComment("keep-alive")), 15, 15, TimeUnit.SECONDS);
    }

    @Override
    public void register(Javalin app) {
        app.sse("/api/events", client -> {
            Auth.require(client.ctx(), Role.VIEWER);
            stream(client, null);
        });
        app.sse("/api/runs/{id}/events", client -> {
            Auth.require(client.ctx(), Role.VIEWER);
            long runId = RunEndpoints.runId(client.ctx());
            var run = runStore.summary(runId).orElseThrow(() -> ApiException.notFound("no run with id " + runId));
            stream(client, runId);
            Map<String, Object> snapshot = new LinkedHashMap<>();
            snapshot.put("status", run.status().name());
            snapshot.put("progress", run.progress());
            snapshot.put("message", run.message());
            snapshot.put("error", run.error());
            runStore.detail(runId).ifPresent(d -> snapshot.put("steps", d.steps().stream().map(step -> {
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("step", step.index());
                st.put("status", step.status().name());
                st.put("progress", step.progress());
                st.put("message", step.message());
                st.put("error", step.error());
                return st;
            }).toList()));
            client.sendEvent("run", paths.scrubTree(json, snapshot));
        });
    }

    /** Ends every open stream of a revoked user at once. */
    private void closeStreamsOf(String userName) {
        clients.forEach((client, owner) -> {
            if (owner.equals(userName)) {
                clients.remove(client);
                client.close();
            }
        });
    }

    private void stream(SseClient client, Long runId) {
        client.keepAlive();
        clients.put(client, Auth.user(client.ctx()).name());
        Runnable unsubscribe = events.subscribe(event -> {
            if (runId == null ? isGlobal(event) : runId.equals(event.runId())) {
                Map<String, Object> data = new LinkedHashMap<>(event.data());
                if (event.runId() != null) {
                    data.put("runId", event.runId());
                }
                client.sendEvent(event.type(), paths.scrubTree(json, data));
            }
        });
        client.onClose(() -> {
            unsubscribe.run();
            clients.remove(client);
        });
    }

    private static boolean isGlobal(RunEvents.Event event) {
        return event.type().equals("run") || event.type().equals("registry")
                || (event.type().equals("step") && event.data().containsKey("status"));
    }

    @Override
    public void close() {
        registry.removeListener(registryListener);
        users.removeRevocationListener(revocationListener);
        heartbeat.shutdownNow();
        clients.keySet().forEach(SseClient::close);
    }
}
