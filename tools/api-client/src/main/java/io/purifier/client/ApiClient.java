package io.purifier.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A small HTTP client of the server's REST API: HTTP/1.1 with keep-alive, a bearer token, JSON bodies, file
 * uploads, server-sent events, submitting a pipeline and waiting for its run. Every answer carries the time from
 * sending the request to reading its whole body, so benchmarks can time calls; the body is parsed as JSON only when
 * asked. One instance holds one connection pool; concurrent benchmark clients each use their own.
 */
public final class ApiClient {

    /** Run statuses after which a run never changes. */
    public static final Set<String> FINAL_STATUSES = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status, raw body, the body as JSON on demand, and how long the call took. */
    public static final class Response {
        private final int status;
        private final String raw;
        private final double millis;
        private JsonNode body;

        Response(int status, String raw, double millis) {
            this.status = status;
            this.raw = raw;
            this.millis = millis;
        }

        /** The HTTP status. */
        public int status() {
            return status;
        }

        /** The body as text. */
        public String raw() {
            return raw;
        }

        /** Request sent → body fully read, in milliseconds. */
        public double millis() {
            return millis;
        }

        /** The body parsed as JSON, or null when it is empty or not a JSON object or list. */
        public JsonNode body() {
            if (body == null && raw != null && (raw.startsWith("{") || raw.startsWith("["))) {
                try {
                    body = JSON.readTree(raw);
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException("the answer is not valid JSON: " + shorten(raw), e);
                }
            }
            return body;
        }

        @Override
        public String toString() {
            return status + " " + shorten(raw);
        }
    }

    /** An answer the caller did not expect (a refused pipeline, a missing run): its status and body. */
    public static final class UnexpectedAnswer extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Response response;

        UnexpectedAnswer(String request, Response response) {
            super(request + " answered " + response);
            this.response = response;
        }

        /** The answer. */
        public Response response() {
            return response;
        }
    }

    private final HttpClient http;
    private final URI base;
    private final String token;
    private final Duration timeout;

    private ApiClient(HttpClient http, URI base, String token, Duration timeout) {
        this.http = http;
        this.base = base;
        this.token = token;
        this.timeout = timeout;
    }

    /**
     * A client of {@code base} (e.g. {@code http://127.0.0.1:7171}).
     *
     * @param token   bearer token, or null for unauthenticated calls
     * @param timeout longest wait for one answer
     */
    public ApiClient(URI base, String token, Duration timeout) {
        this(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build(),
                URI.create(base.toString().replaceAll("/+$", "")), token, timeout);
    }

    /** A client of the server on {@code 127.0.0.1:port}, with a 30 s timeout per answer. */
    public ApiClient(int port, String token) {
        this(URI.create("http://127.0.0.1:" + port), token, Duration.ofSeconds(30));
    }

    /** The same server and token with a connection pool of its own (one per concurrent benchmark client). */
    public ApiClient copy() {
        return new ApiClient(base, token, timeout);
    }

    /** The same server with another token (a new connection pool). */
    public ApiClient as(String otherToken) {
        return new ApiClient(base, otherToken, timeout);
    }

    /** {@code GET path}. */
    public Response get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    /** {@code DELETE path}. */
    public Response delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE().build());
    }

    /** {@code POST path} with a JSON body: a String is sent as it is, anything else is written by Jackson. */
    public Response postJson(String path, Object body) throws IOException, InterruptedException {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)).build());
    }

    /** {@code METHOD path} with a JSON body (a String as it is, anything else written by Jackson), e.g. PUT or PATCH. */
    public Response send(String method, String path, Object body) throws IOException, InterruptedException {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(text)).build());
    }

    /** {@code POST path} with a file as the raw body. */
    public Response postFile(String path, Path file) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build());
    }

    /** {@code POST path} with bytes as the raw body. */
    public Response postBytes(String path, byte[] bytes) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    /**
     * Submits a pipeline to {@code POST /api/runs}.
     *
     * @return the new run's id
     * @throws UnexpectedAnswer when the server does not accept it (the answer lists the problems)
     */
    public long submitRun(Object pipeline) throws IOException, InterruptedException {
        Response r = postJson("/api/runs", pipeline);
        if (r.status() != 201) {
            throw new UnexpectedAnswer("POST /api/runs", r);
        }
        return r.body().get("id").asLong();
    }

    /**
     * Polls {@code GET /api/runs/{id}} every {@code poll} until the run has a final status.
     *
     * @return the run's detail with its final status
     * @throws TimeoutException naming the run and its last status when {@code limit} passes first
     * @throws UnexpectedAnswer when the run cannot be read
     */
    public JsonNode awaitRun(long id, Duration limit, Duration poll) throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Response r = get("/api/runs/" + id);
            if (r.status() != 200) {
                throw new UnexpectedAnswer("GET /api/runs/" + id, r);
            }
            String status = r.body().path("run").path("status").asText();
            if (FINAL_STATUSES.contains(status)) {
                return r.body();
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("run " + id + " is still " + status + " after " + limit.toSeconds() + " s");
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /**
     * Opens an SSE stream and returns its lines until {@code enough} accepts them (at most 10 s).
     *
     * @throws TimeoutException when the stream does not deliver enough within 10 s
     */
    public List<String> sse(String path, Predicate<List<String>> enough)
            throws IOException, InterruptedException, TimeoutException {
        HttpRequest req = request(path).header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> res = http.send(req, HttpResponse.BodyHandlers.ofLines());
        List<String> seen = new ArrayList<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            var it = res.body().iterator();
            while (it.hasNext()) {
                synchronized (seen) {
                    seen.add(it.next());
                    if (enough.test(List.copyOf(seen))) {
                        return;
                    }
                }
            }
        });
        try {
            reader.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("reading the event stream " + path + " failed", e.getCause());
        } finally {
            res.body().close();
        }
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Response send(HttpRequest request) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double millis = (System.nanoTime() - start) / 1e6;
        return new Response(response.statusCode(), response.body(), millis);
    }

    private static String shorten(String text) {
        return text == null ? "" : text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }
}
