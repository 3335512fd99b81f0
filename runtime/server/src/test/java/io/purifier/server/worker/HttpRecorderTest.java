package io.purifier.server.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.purifier.server.PurifierServer;
import io.purifier.server.store.RunStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker's recorder against a small fake server: order, batching, coalescing, retries, cancellation, refusal. */
class HttpRecorderTest {

    @TempDir
    Path dir;
    final ObjectMapper json = PurifierServer.objectMapper();
    HttpServer server;
    /** What the fake server received: "POST events <body>", "PUT artifacts/... <body>", "POST finish <body>". */
    final List<String> received = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger failuresLeft = new AtomicInteger();
    final AtomicInteger refuseWith = new AtomicInteger();
    final AtomicReference<String> cancelReason = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/worker/runs/7/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath().substring("/api/worker/runs/7/".length());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int status;
        String answer;
        if (refuseWith.get() != 0) {
            status = refuseWith.get();
            answer = "{\"status\": " + status + ", \"error\": \"run 7 is finished (CANCELLED) and takes no worker reports\"}";
        } else if (failuresLeft.getAndDecrement() > 0) {
            status = 503;
            answer = "{\"status\": 503, \"error\": \"busy\"}";
        } else {
            received.add(ex.getRequestMethod() + " " + path + " " + body);
            status = 200;
            String reason = cancelReason.get();
            answer = reason == null ? "{\"cancel\": false, \"reason\": null}" : "{\"cancel\": true, \"reason\": \"" + reason + "\"}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private HttpRecorder recorder(Duration retryFor) {
        WorkerClient client = new WorkerClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), 7, "pwk_test",
                retryFor, json);
        return new HttpRecorder(client, json, Duration.ofSeconds(5)).start();
    }

    private List<JsonNode> events() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String r : List.copyOf(received)) {
            if (r.startsWith("POST events ")) {
                json.readTree(r.substring("POST events ".length())).get("events").forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void reports_arrive_in_order_with_artifacts_between_their_events_and_the_final_status_last() throws Exception {
        HttpRecorder r = recorder(Duration.ofSeconds(10));
        Path file = Files.writeString(dir.resolve("trigger.png"), "png bytes");
        r.runStarted(json.createObjectNode().put("seed", 1));
        for (int i = 0; i < 300; i++) {
            r.log(0, "INFO", "line " + i);
        }
        r.artifact(1, "sub/trigger.png", file);
        r.stepFinished(1, io.purifier.server.store.StepStatus.SUCCEEDED, null, null);
        r.runFinished(RunStatus.SUCCEEDED, null);
        assertTrue(r.awaitDelivered(Duration.ofSeconds(5)));

        List<JsonNode> events = events();
        assertEquals(302, events.size());
        assertEquals("runStarted", events.get(0).path("type").asText());
        for (int i = 0; i < 300; i++) {
            assertEquals("line " + i, events.get(i + 1).path("message").asText());
        }
        assertEquals("stepFinished", events.get(301).path("type").asText());
        int artifact = indexOf("PUT artifacts/1/sub/trigger.png png bytes");
        int finish = indexOf("POST finish {\"status\":\"SUCCEEDED\",\"error\":null}");
        assertTrue(artifact > 0 && finish == received.size() - 1, received.toString());
        String beforeArtifact = String.join("\n", received.subList(0, artifact));
        assertTrue(beforeArtifact.contains("line 299") && !beforeArtifact.contains("stepFinished"), "the artifact follows the logs before it");
        List<Long> seqs = new ArrayList<>();
        for (String req : received) {
            if (req.startsWith("POST events ")) {
                seqs.add(json.readTree(req.substring(12)).get("seq").asLong());
            }
        }
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i, seqs.get(i), "batches are numbered 0, 1, 2, ...");
        }
        assertTrue(seqs.size() >= 2, "300 lines do not fit one batch of " + HttpRecorder.MAX_EVENTS);
    }

    private int indexOf(String request) {
        for (int i = 0; i < received.size(); i++) {
            if (received.get(i).equals(request)) {
                return i;
            }
        }
        throw new AssertionError("no request " + request + " in " + received);
    }

    @Test
    void waiting_progress_reports_are_replaced_by_newer_ones() throws Exception {
        failuresLeft.set(3);
        HttpRecorder r = recorder(Duration.ofSeconds(30));
        for (int i = 1; i <= 1000; i++) {
            r.stepProgress(2, i / 1000.0, "batch " + i);
        }
        r.runFinished(RunStatus.SUCCEEDED, null);
        assertTrue(r.awaitDelivered(Duration.ofSeconds(5)), r.failure());
        List<JsonNode> progress = events().stream().filter(e -> e.path("type").asText().equals("stepProgress")).toList();
        assertTrue(progress.size() < 20, progress.size() + " progress events for 1000 reports");
        assertEquals("batch 1000", progress.get(progress.size() - 1).path("message").asText());
    }

    @Test
    void the_server_s_cancel_request_reaches_the_run() throws Exception {
        cancelReason.set("cancelled by bob");
        HttpRecorder r = recorder(Duration.ofSeconds(10));
        AtomicReference<String> heard = new AtomicReference<>();
        r.onCancel(heard::set);
        r.log(null, "INFO", "hello");
        io.purifier.server.TestBundles.await("the cancel request", 5_000, () -> heard.get() != null);
        assertEquals("cancelled by bob", heard.get());
    }

    @Test
    void a_refusal_ends_reporting_cancels_the_run_and_is_not_silent() throws Exception {
        refuseWith.set(409);
        HttpRecorder r = recorder(Duration.ofSeconds(10));
        AtomicReference<String> heard = new AtomicReference<>();
        r.onCancel(heard::set);
        r.log(null, "INFO", "hello");
        r.runFinished(RunStatus.SUCCEEDED, null);
        assertFalse(r.awaitDelivered(Duration.ofSeconds(5)));
        assertEquals("HTTP 409: run 7 is finished (CANCELLED) and takes no worker reports", r.failure());
        assertTrue(heard.get().startsWith("the worker lost contact with the server: HTTP 409"), heard.get());
    }

    @Test
    void an_unreachable_server_is_given_up_after_the_retry_period() throws Exception {
        server.stop(0);
        HttpRecorder r = recorder(Duration.ofSeconds(1));
        long start = System.nanoTime();
        r.runFinished(RunStatus.FAILED, "x");
        assertFalse(r.awaitDelivered(Duration.ofSeconds(10)));
        assertTrue(r.failure().contains("failed for 1 s"), r.failure());
        assertTrue(System.nanoTime() - start < 9_000_000_000L);
    }
}
