package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A small HTTP client for end-to-end tests against a running server. */
public final class ApiClient {

    /**
     * A response: status and parsed JSON body (null when the body is empty or not JSON).
     *
     * @param status HTTP status
     * @param body   parsed JSON, or null
     * @param raw    the raw body
     */
    public record Response(int status, JsonNode body, String raw) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;
    private final String token;

    /**
     * @param port  the server port
     * @param token bearer token, or null for unauthenticated calls
     */
    public ApiClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** A client with another token. */
    public ApiClient as(String otherToken) {
        return new ApiClient(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), otherToken);
    }

    public Response get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    public Response delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE().build());
    }

    /** Sends {@code body} (a string, or an object written as JSON) with any method. */
    public Response send(String method, String path, Object body) throws IOException, InterruptedException {
        String text = body instanceof String s ? s : json.writeValueAsString(body);
        return send(request(path).header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text)).build());
    }

    public Response postJson(String path, Object body) throws IOException, InterruptedException {
        String text = body instanceof String s ? s : json.writeValueAsString(body);
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(text)).build());
    }

    /**
     * Submits {@code pipeline} to {@code /api/runs}, waits up to {@code timeoutMillis} for the run to end and returns
     * its detail; fails unless the submission is accepted and the run succeeds.
     */
    public JsonNode runToSuccess(Object pipeline, long timeoutMillis) throws Exception {
        Response r = postJson("/api/runs", pipeline);
        org.junit.jupiter.api.Assertions.assertEquals(201, r.status(), r.raw());
        long id = r.body().get("id").asLong();
        JsonNode[] last = new JsonNode[1];
        TestBundles.await("run " + id, timeoutMillis, () -> {
            try {
                last[0] = get("/api/runs/" + id).body();
                return last[0].path("run").path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED|INTERRUPTED");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        org.junit.jupiter.api.Assertions.assertEquals("SUCCEEDED", last[0].path("run").path("status").asText(),
                last[0].path("run").toString());
        return last[0];
    }

    public Response postFile(String path, Path file) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofFile(file)).build());
    }

    public Response postBytes(String path, byte[] bytes) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    /** Opens an SSE stream and returns its first {@code lines} lines (bounded by a 10 s timeout). */
    public java.util.List<String> sse(String path, java.util.function.Predicate<java.util.List<String>> enough) throws Exception {
        HttpRequest req = request(path).header("Accept", "text/event-stream").GET().build();
        HttpResponse<java.util.stream.Stream<String>> res = http.send(req, HttpResponse.BodyHandlers.ofLines());
        java.util.List<String> seen = new java.util.ArrayList<>();
        java.util.concurrent.CompletableFuture<Void> reader = java.util.concurrent.CompletableFuture.runAsync(() -> {
            var it = res.body().iterator();
            while (it.hasNext()) {
                seen.add(it.next());
                if (enough.test(java.util.List.copyOf(seen))) {
                    return;
                }
            }
        });
        try {
            reader.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            res.body().close();
        }
        return seen;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Response send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        JsonNode body = null;
        String raw = res.body();
        if (raw != null && !raw.isBlank() && (raw.startsWith("{") || raw.startsWith("["))) {
            body = json.readTree(raw);
        }
        return new Response(res.statusCode(), body, raw);
    }
}
