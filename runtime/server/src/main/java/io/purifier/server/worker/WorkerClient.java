package io.purifier.server.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;

/**
 * A worker's HTTP client for the worker protocol of one run. Transient failures (no connection, time-outs, 429 and
 * 5xx answers) are retried with exponential back-off for up to {@code retryFor}; any other refusal is final and
 * raised at once as a {@link Refused}.
 */
public final class WorkerClient {

    /** The server refused a call for good (a 4xx answer other than 429): the run has ended, or a bug. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super("HTTP " + status + ": " + message);
            this.status = status;
        }

        /** The HTTP status. */
        public int status() {
            return status;
        }
    }

    /** The server could not be reached (or kept failing) for longer than the retry period. */
    public static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Set<Integer> TRANSIENT = Set.of(429, 500, 502, 503, 504);
    private static final long FIRST_BACKOFF_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 8_000;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI runBase;
    private final String token;
    private final Duration retryFor;
    private final ObjectMapper json;

    /**
     * @param server   the server's base URL
     * @param runId    the run
     * @param token    the run's worker credential
     * @param retryFor how long transient failures are retried
     * @param json     the JSON mapper
     */
    public WorkerClient(URI server, long runId, String token, Duration retryFor, ObjectMapper json) {
        String base = server.toString().replaceAll("/+$", "");
        this.runBase = URI.create(base + "/api/worker/runs/" + runId + "/");
        this.token = token;
        this.retryFor = retryFor;
        this.json = json;
    }

    /** {@code GET path} as JSON. */
    public JsonNode getJson(String path) throws IOException, InterruptedException {
        byte[] body = call("GET " + path, () -> request(path, Duration.ofSeconds(60)).GET().build());
        return json.readTree(body);
    }

    /** {@code POST path} with a JSON body; the answer as JSON. */
    public JsonNode postJson(String path, JsonNode body) throws IOException, InterruptedException {
        byte[] bytes = json.writeValueAsBytes(body);
        byte[] answer = call("POST " + path, () -> request(path, Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
        return json.readTree(answer);
    }

    /** {@code PUT path} with {@code file} as the body. */
    public void putFile(String path, Path file) throws IOException, InterruptedException {
        call("PUT " + path, () -> request(path, Duration.ofMinutes(10)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file)).build());
    }

    /** {@code GET path} into {@code target} (written to a temporary file, then renamed). */
    public void download(String path, Path target) throws IOException, InterruptedException {
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        byte[] body = call("GET " + path, () -> request(path, Duration.ofMinutes(10)).GET().build());
        Files.write(part, body);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A path segment, escaped. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @FunctionalInterface
    private interface RequestFactory {
        HttpRequest build() throws IOException;
    }

    private byte[] call(String what, RequestFactory factory) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + retryFor.toNanos();
        long backoff = FIRST_BACKOFF_MILLIS;
        while (true) {
            IOException failure;
            try {
                HttpResponse<byte[]> res = http.send(factory.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (res.statusCode() / 100 == 2) {
                    return res.body();
                }
                String message = message(res.body());
                if (!TRANSIENT.contains(res.statusCode())) {
                    throw new Refused(res.statusCode(), message);
                }
                failure = new IOException("HTTP " + res.statusCode() + ": " + message);
            } catch (Refused e) {
                throw e;
            } catch (IOException e) {
                failure = e;
            }
            if (System.nanoTime() + backoff * 1_000_000 > deadline) {
                throw new Unreachable(what + " failed for " + retryFor.toSeconds() + " s; last: " + failure.getMessage(), failure);
            }
            Thread.sleep(backoff);
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(runBase.resolve(path)).timeout(timeout).header("Authorization", "Bearer " + token);
    }

    private String message(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.hasNonNull("error")) {
                return node.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: fall through to the raw text
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
