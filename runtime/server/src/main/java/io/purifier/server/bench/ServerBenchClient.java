package io.purifier.server.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A small timed HTTP client of the server's REST API (HTTP/1.1, keep-alive, bearer token). Each bench client
 * thread has its own, so concurrent clients use separate connections.
 */
final class ServerBenchClient {

    /**
     * One response.
     *
     * @param status HTTP status
     * @param body   the body as text
     * @param millis request sent → body fully read, in milliseconds
     */
    record Answer(int status, String body, double millis) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    /**
     * @param port  the server's HTTP port on 127.0.0.1
     * @param token bearer token, or null for unauthenticated calls
     */
    ServerBenchClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** {@code GET path}. */
    Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    /** {@code DELETE path}. */
    Answer delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE().build());
    }

    /** {@code POST path} with a JSON body. */
    Answer postJson(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** {@code POST path} with a file as the raw body. */
    Answer postFile(String path, Path file) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double millis = (System.nanoTime() - start) / 1e6;
        return new Answer(response.statusCode(), response.body(), millis);
    }
}
