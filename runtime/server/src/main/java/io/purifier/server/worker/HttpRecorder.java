package io.purifier.server.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.metric.MetricValue;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.run.RunRecorder;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.StepStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A worker's {@link RunRecorder}: queues every report and sends them in order from one thread, as event batches (at
 * most {@value #MAX_EVENTS} events or about {@value #MAX_BYTES} bytes), artifact uploads and the final status. Progress
 * reports still waiting are replaced by newer ones; nothing else is merged or dropped. An empty batch goes out at
 * least every heartbeat period, and every answer may carry the server's cancel request, which is passed on at once.
 * When the server cannot be reached for the client's retry period, or refuses the reports for good, the run is
 * cancelled and the reports not delivered are counted in the worker's log, never dropped silently.
 */
public final class HttpRecorder implements RunRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRecorder.class);

    static final int MAX_EVENTS = 200;
    static final int MAX_BYTES = 256 * 1024;
    /** How long the sender waits for more reports before it sends a batch. */
    static final long LINGER_MILLIS = 200;

    /** Something to send. */
    private sealed interface Item permits Event, Artifact, Finish {
    }

    private record Event(ObjectNode body, String coalesceKey) implements Item {
    }

    private record Artifact(int step, String name, Path file) implements Item {
    }

    private record Finish(RunStatus status, String error) implements Item {
    }

    private final WorkerClient client;
    private final WorkerEvents events;
    private final ObjectMapper json;
    private final Duration heartbeat;
    private final Object lock = new Object();
    private final Deque<Item> queue = new ArrayDeque<>();
    private final Map<String, ObjectNode> pendingProgress = new HashMap<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread sender;
    private volatile Consumer<String> onCancel = reason -> { };
    private volatile String failure;
    private boolean finishing;
    private long seq;
    private long lastSent = System.nanoTime();

    /**
     * @param client    the worker's client for its run
     * @param json      the JSON mapper
     * @param heartbeat the longest silence towards the server
     */
    public HttpRecorder(WorkerClient client, ObjectMapper json, Duration heartbeat) {
        this.client = client;
        this.events = new WorkerEvents(json);
        this.json = json;
        this.heartbeat = heartbeat;
        this.sender = new Thread(this::send, "purifier-worker-reports");
        this.sender.setDaemon(true);
    }

    /** Starts sending (a heartbeat right away, so the server sees the worker alive). */
    public HttpRecorder start() {
        sender.start();
        return this;
    }

    /** Who hears the server's cancel request (and a loss of contact, as a cancellation with the reason). */
    public void onCancel(Consumer<String> listener) {
        this.onCancel = listener;
    }

    /** Why reports could not be delivered, or null when all were. */
    public String failure() {
        return failure;
    }

    /**
     * Waits until every report, the final status included, is delivered or cannot be.
     *
     * @return whether everything was delivered
     */
    public boolean awaitDelivered(Duration max) throws InterruptedException {
        return done.await(max.toMillis(), TimeUnit.MILLISECONDS) && failure == null;
    }

    @Override
    public void runStarted(JsonNode provenance) {
        enqueue(events.runStarted(provenance), null);
    }

    @Override
    public void provenance(JsonNode provenance) {
        enqueue(events.provenance(provenance), null);
    }

    @Override
    public void runProgress(double progress, int step, String message) {
        enqueue(events.runProgress(progress, step, message), "run");
    }

    @Override
    public void stepStarted(int step, JsonNode params, BundleIdentity bundle) {
        enqueue(events.stepStarted(step, params, bundle), null);
    }

    @Override
    public void stepProgress(int step, double fraction, String message) {
        enqueue(events.stepProgress(step, fraction, message), "step " + step);
    }

    @Override
    public void stepFinished(int step, StepStatus status, String error, JsonNode summary) {
        enqueue(events.stepFinished(step, status, error, summary), null);
    }

    @Override
    public void log(Integer step, String level, String message) {
        enqueue(events.log(step, level, message), null);
    }

    @Override
    public void curvePoint(int step, String series, double x, double y) {
        enqueue(events.curvePoint(step, series, x, y), null);
    }

    @Override
    public void metrics(int step, String metricId, List<MetricValue> values) {
        enqueue(events.metrics(step, metricId, values), null);
    }

    @Override
    public void artifact(int step, String name, Path file) {
        add(new Artifact(step, name, file));
    }

    @Override
    public void cacheEntry(int step, String key, String description) {
        enqueue(events.cacheEntry(step, key, description), null);
    }

    /** Queues the final status and waits until everything is delivered (or cannot be). */
    @Override
    public void runFinished(RunStatus status, String error) {
        add(new Finish(status, error));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void enqueue(ObjectNode event, String coalesceKey) {
        synchronized (lock) {
            if (coalesceKey != null) {
                ObjectNode waiting = pendingProgress.get(coalesceKey);
                if (waiting != null) {
                    waiting.setAll(event);
                    return;
                }
                pendingProgress.put(coalesceKey, event);
            }
            add(new Event(event, coalesceKey));
        }
    }

    private void add(Item item) {
        synchronized (lock) {
            if (finishing || failure != null) {
                LOG.warn("a report after the end of the run's reporting is not sent: {}", item);
                return;
            }
            if (item instanceof Finish) {
                finishing = true;
            }
            queue.add(item);
            lock.notifyAll();
        }
    }

    private void send() {
        try {
            while (true) {
                List<ObjectNode> batch = new ArrayList<>();
                Item special = next(batch);
                if (!batch.isEmpty() || special == null) {
                    post(batch);
                }
                if (special instanceof Artifact a) {
                    client.putFile("artifacts/" + a.step() + "/" + Arrays.stream(a.name().split("/"))
                            .map(WorkerClient::segment).collect(Collectors.joining("/")), a.file());
                } else if (special instanceof Finish f) {
                    ObjectNode body = json.createObjectNode().put("status", f.status().name()).put("error", f.error());
                    client.postJson("finish", body);
                    return;
                }
                if (special != null) {
                    synchronized (lock) {
                        queue.poll();
                    }
                }
            }
        } catch (IOException e) {
            giveUp(e);
        } catch (InterruptedException e) {
            giveUp(new IOException("the worker is stopping", e));
        } finally {
            done.countDown();
        }
    }

    /**
     * Waits for reports (at most until the next heartbeat is due), moves the events at the head of the queue into
     * {@code batch}, and returns the artifact or final status that follows them (left at the head), or null.
     */
    private Item next(List<ObjectNode> batch) throws InterruptedException {
        synchronized (lock) {
            long due = lastSent + heartbeat.toNanos();
            while (queue.isEmpty() && System.nanoTime() < due) {
                lock.wait(Math.max(1, (due - System.nanoTime()) / 1_000_000));
            }
            if (!queue.isEmpty() && !(queue.peekLast() instanceof Finish)) {
                long linger = lastSent + LINGER_MILLIS * 1_000_000 - System.nanoTime();
                if (linger > 0) {
                    lock.wait(Math.max(1, linger / 1_000_000));
                }
            }
            int bytes = 0;
            while (!queue.isEmpty() && batch.size() < MAX_EVENTS && bytes < MAX_BYTES) {
                Item head = queue.peek();
                if (!(head instanceof Event e)) {
                    return head;
                }
                queue.poll();
                if (e.coalesceKey() != null) {
                    pendingProgress.remove(e.coalesceKey(), e.body());
                }
                batch.add(e.body());
                bytes += e.body().toString().length();
            }
            Item head = queue.peek();
            return head instanceof Event ? null : head;
        }
    }

    private void post(List<ObjectNode> batch) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("seq", seq);
        batch.forEach(body.putArray("events")::add);
        JsonNode answer = client.postJson("events", body);
        seq++;
        lastSent = System.nanoTime();
        if (answer.path("cancel").asBoolean(false)) {
            onCancel.accept(answer.path("reason").asText("cancelled"));
        }
    }

    private void giveUp(IOException e) {
        int lost;
        synchronized (lock) {
            failure = e.getMessage();
            lost = queue.size();
            queue.clear();
            pendingProgress.clear();
        }
        LOG.error("the worker cannot report to the server any more ({}); {} report(s) not delivered", e.getMessage(), lost);
        onCancel.accept("the worker lost contact with the server: " + e.getMessage());
    }
}
