package io.purifier.server;

import io.purifier.client.ApiClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP layer's hardening: {@code ?token=} only for event streams and downloads, a revoked user's open stream
 * ends at once, security headers on the UI and the API, no absolute server path in what clients see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebHardeningIT {

    @TempDir
    static Path dir;
    Path home;
    PurifierServer server;
    ApiClient admin;
    String token;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        home = TestHome.create(dir, true, true);
        server = PurifierServer.start(TestHome.config(home, Map.of()), true, null);
        token = TestHome.adminToken(home);
        admin = TestHome.client(server.port(), token);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<InputStream> openStream(String path, String bearer) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Accept", "text/event-stream").GET();
        if (bearer != null) {
            req.header("Authorization", "Bearer " + bearer);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void a_token_in_the_query_string_is_accepted_only_for_streams_and_downloads() throws Exception {
        ApiClient anonymous = admin.as(null);
        ApiClient.Response runs = anonymous.get("/api/runs?token=" + token);
        assertEquals(401, runs.status(), runs.raw());
        assertTrue(runs.body().path("error").asText().contains("only for event streams and artifact downloads"), runs.raw());
        assertEquals(401, anonymous.get("/api/users?token=" + token).status());
        assertEquals(401, anonymous.get("/api/runs/1/artifacts/0/x.png/more?token=" + token).status());
        HttpResponse<InputStream> stream = openStream("/api/events?token=" + token, null);
        assertEquals(200, stream.statusCode());
        stream.body().close();
        assertEquals(404, anonymous.get("/api/runs/999/artifacts/0/trigger.png?token=" + token).status());
    }

    @Test
    void a_revoked_users_open_stream_ends_at_once() throws Exception {
        String viewer = server.services().users().add("vera", io.purifier.server.auth.Role.VIEWER);
        HttpResponse<InputStream> stream = openStream("/api/events", viewer);
        assertEquals(200, stream.statusCode());
        CompletableFuture<Integer> end = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = stream.body()) {
                while (in.read() >= 0) {
                    // events and keep-alives until the server closes the stream
                }
                return -1;
            } catch (java.io.IOException e) {
                return -1;
            }
        });
        assertEquals(204, admin.delete("/api/users/vera").status());
        assertEquals(-1, end.get(5, TimeUnit.SECONDS));
    }

    @Test
    void a_malformed_multipart_body_is_a_400() throws Exception {
        for (String path : new String[]{"/api/models", "/api/bundles"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=xyz")
                    .POST(HttpRequest.BodyPublishers.ofString("not multipart at all")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("multipart/form-data body is malformed"), r.body());
        }
    }

    @Test
    void every_response_carries_the_security_headers() throws Exception {
        for (String path : new String[]{"/", "/index.html", "/api/health", "/api/nope"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"), path);
            assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"), path);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), path);
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null), path);
            assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(null), path);
        }
    }

    @Test
    void run_errors_do_not_show_absolute_server_paths() throws Exception {
        ApiClient.Response model = admin.postBytes("/api/models?format=sample-linear", TestHome.backdooredSampleModel().getBytes());
        assertEquals(201, model.status(), model.raw());
        ObjectNode p = json.createObjectNode();
        p.putObject("dataset").put("id", "idx").putObject("params").put("directory", "no-such-directory");
        p.putObject("model").put("source", "stored").put("modelId", model.body().path("id").asText());
        ApiClient.Response submitted = admin.postJson("/api/runs", p);
        assertEquals(201, submitted.status(), submitted.raw());
        long id = submitted.body().path("id").asLong();
        JsonNode[] detail = new JsonNode[1];
        TestBundles.await("the run to fail", 30_000, () -> {
            try {
                detail[0] = admin.get("/api/runs/" + id).body();
                return detail[0].path("run").path("status").asText().equals("FAILED");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        String text = detail[0].toString() + admin.get("/api/runs/" + id + "/logs").raw();
        assertTrue(text.contains("no-such-directory"), text);
        assertFalse(text.contains(home.toAbsolutePath().toString()), "an absolute server path in " + text);
        assertTrue(text.contains("data/datasets"), text);
    }
}
