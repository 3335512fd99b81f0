package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kills a server JVM in the middle of a run; the next start marks the run interrupted and keeps the rest. */
class CrashRecoveryIT {

    @TempDir
    Path dir;

    @Test
    void a_run_left_running_by_a_killed_server_is_interrupted_after_restart() throws Exception {
        Path home = TestHome.create(dir, true);
        Process child = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dpurifier.home=" + home,
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir", dir.resolve("javacpp").toString()),
                "-cp", System.getProperty("java.class.path"), "io.purifier.server.Main", "serve", "--port", "0"))
                .redirectErrorStream(true).start();
        try {
            int port = awaitPort(child);
            String token = TestHome.adminToken(home);
            ApiClient api = new ApiClient(port, token);
            ApiClient.Response model = api.postBytes("/api/models?format=sample-linear", TestHome.backdooredSampleModel().getBytes());
            assertEquals(201, model.status(), model.raw());
            ObjectMapper json = new ObjectMapper();
            ObjectNode p = json.createObjectNode();
            p.putObject("dataset").put("id", "sample-blobs");
            p.putObject("model").put("source", "stored").put("modelId", model.body().get("id").asText());
            ObjectNode d = p.putArray("defenses").addObject();
            d.put("id", "sample-shrink");
            d.putObject("params").put("failMode", "slow").put("seconds", 120);
            ApiClient.Response submitted = api.postJson("/api/runs", p);
            assertEquals(201, submitted.status(), submitted.raw());
            long runId = submitted.body().get("id").asLong();
            TestBundles.await("the slow step to run", 20_000, () -> {
                try {
                    return api.get("/api/runs/" + runId).body().path("steps").path(2).path("status").asText().equals("RUNNING");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            child.destroyForcibly();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));

            try (PurifierServer restarted = PurifierServer.start(TestHome.config(home, Map.of()), true, null)) {
                JsonNode detail = new ApiClient(restarted.port(), token).get("/api/runs/" + runId).body();
                assertEquals("INTERRUPTED", detail.path("run").path("status").asText(), detail.toString());
                assertEquals("SUCCEEDED", detail.path("steps").path(0).path("status").asText());
                assertEquals("FAILED", detail.path("steps").path(2).path("status").asText());
                assertTrue(detail.path("steps").path(2).path("error").asText().contains("server stopped"));
                assertTrue(detail.path("metrics").size() > 0, "metrics of finished steps are kept");
            }
        } finally {
            child.destroyForcibly();
        }
    }

    private static int awaitPort(Process child) throws Exception {
        Pattern listening = Pattern.compile("listening on http://[^:]+:(\\d+)/");
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = listening.matcher(line);
                    if (m.find() && line.startsWith("Purifier")) {
                        int found = Integer.parseInt(m.group(1));
                        CompletableFuture.runAsync(() -> drain(out));
                        return found;
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("the server process ended without listening");
        });
        return port.get(60, TimeUnit.SECONDS);
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // keep the child's output pipe from filling up
            }
        } catch (java.io.IOException ignored) {
            // the process was killed
        }
    }
}
