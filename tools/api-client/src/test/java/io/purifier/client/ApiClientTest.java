package io.purifier.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against a small in-process HTTP server that plays the parts of the API it uses. */
class ApiClientTest {

    private HttpServer server;
    private ApiClient client;
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final AtomicInteger polls = new AtomicInteger();

    private static void answer(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/echo", ex -> {
            seen.put("auth", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            seen.put("type", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
            seen.put("method", ex.getRequestMethod());
            seen.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(ex, 200, "application/json", "{\"ok\": true}");
        });
        server.createContext("/api/text", ex -> answer(ex, 200, "text/plain", "plain words"));
        server.createContext("/api/runs", ex -> {
            if (ex.getRequestMethod().equals("POST")) {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (body.contains("bad")) {
                    answer(ex, 400, "application/json", "{\"status\": 400, \"problems\": [{\"parameter\": \"seed\"}]}");
                } else {
                    answer(ex, 201, "application/json", "{\"id\": 17, \"status\": \"QUEUED\"}");
                }
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/api/runs/17")) {
                String status = polls.incrementAndGet() < 3 ? "RUNNING" : "SUCCEEDED";
                answer(ex, 200, "application/json", "{\"run\": {\"id\": 17, \"status\": \"" + status + "\"}}");
            } else if (path.equals("/api/runs/18")) {
                answer(ex, 200, "application/json", "{\"run\": {\"id\": 18, \"status\": \"QUEUED\"}}");
            } else {
                answer(ex, 404, "application/json", "{\"status\": 404}");
            }
        });
        server.createContext("/api/events", ex -> answer(ex, 200, "text/event-stream", "event: run\ndata: {\"a\": 1}\n\n"));
        server.start();
        client = new ApiClient(server.getAddress().getPort(), "pur_token");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sends_the_bearer_token_and_json_and_times_the_answer() throws Exception {
        ApiClient.Response r = client.postJson("/api/echo", Map.of("seed", 7));
        assertEquals(200, r.status());
        assertTrue(r.body().get("ok").asBoolean());
        assertTrue(r.millis() > 0, r.toString());
        assertEquals("Bearer pur_token", seen.get("auth"));
        assertEquals("application/json", seen.get("type"));
        assertEquals("{\"seed\":7}", seen.get("body"));
        client.postJson("/api/echo", "{\"raw\": 1}");
        assertEquals("{\"raw\": 1}", seen.get("body"));
        client.as(null).delete("/api/echo");
        assertEquals("null", seen.get("auth"));
        assertEquals("DELETE", seen.get("method"));
        client.postBytes("/api/echo", new byte[]{1, 2});
        assertEquals("application/octet-stream", seen.get("type"));
        client.send("PUT", "/api/echo", Map.of("name", "n"));
        assertEquals("PUT", seen.get("method"));
        assertEquals("{\"name\":\"n\"}", seen.get("body"));
    }

    @Test
    void a_body_that_is_not_json_stays_text() throws Exception {
        ApiClient.Response r = client.get("/api/text");
        assertEquals("plain words", r.raw());
        assertNull(r.body());
    }

    @Test
    void submits_a_pipeline_and_waits_for_its_run_to_end() throws Exception {
        assertEquals(17, client.submitRun(Map.of("seed", 1)));
        JsonNode detail = client.awaitRun(17, Duration.ofSeconds(10), Duration.ofMillis(5));
        assertEquals("SUCCEEDED", detail.path("run").path("status").asText());
        assertEquals(3, polls.get());
    }

    @Test
    void a_refused_pipeline_or_a_missing_run_carries_the_answer() {
        ApiClient.UnexpectedAnswer refused = assertThrows(ApiClient.UnexpectedAnswer.class, () -> client.submitRun("{\"bad\": 1}"));
        assertEquals(400, refused.response().status());
        assertEquals("seed", refused.response().body().get("problems").get(0).get("parameter").asText());
        ApiClient.UnexpectedAnswer missing = assertThrows(ApiClient.UnexpectedAnswer.class,
                () -> client.awaitRun(99, Duration.ofSeconds(1), Duration.ofMillis(5)));
        assertTrue(missing.getMessage().startsWith("GET /api/runs/99 answered 404"), missing.getMessage());
    }

    @Test
    void waiting_gives_up_at_the_limit_and_names_the_status() {
        TimeoutException e = assertThrows(TimeoutException.class,
                () -> client.awaitRun(18, Duration.ofMillis(50), Duration.ofMillis(5)));
        assertEquals("run 18 is still QUEUED after 0 s", e.getMessage());
    }

    @Test
    void reads_server_sent_events_until_enough() throws Exception {
        List<String> lines = client.sse("/api/events", l -> l.stream().anyMatch(s -> s.startsWith("data:")));
        assertEquals(List.of("event: run", "data: {\"a\": 1}"), lines);
    }
}
