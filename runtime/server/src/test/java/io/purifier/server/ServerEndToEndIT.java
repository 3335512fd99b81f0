package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.client.ApiClient;
import io.purifier.server.pipeline.PipelineSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole server on a random port with real HTTP, H2 and Felix: the sample plugins arrive by HTTP upload, a
 * pipeline made of them runs, broken plugins fail their runs without harming the server, and the history
 * survives a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerEndToEndIT {

    @TempDir
    static Path dir;
    Path home;
    PurifierServer server;
    ApiClient admin;
    final ObjectMapper json = new ObjectMapper();
    String modelId;
    long succeededRun;

    @BeforeAll
    void start() throws Exception {
        home = TestHome.create(dir, false);
        server = PurifierServer.start(TestHome.config(home, Map.of()), true, null);
        String token = TestHome.adminToken(home);
        admin = new ApiClient(server.port(), token);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ObjectNode pipeline(String failMode, Integer timeoutSeconds) {
        ObjectNode p = json.createObjectNode();
        p.put("name", "e2e " + failMode);
        p.put("seed", 7);
        p.putObject("dataset").put("id", "sample-blobs");
        p.putObject("model").put("source", "stored").put("modelId", modelId);
        p.putObject("attack").put("id", "sample-corner").putObject("params").put("poisonRatio", 0.2);
        ObjectNode defense = p.putArray("defenses").addObject();
        defense.put("id", "sample-shrink");
        defense.putObject("params").put("factor", 0.0).put("failMode", failMode).put("seconds", 30);
        p.putArray("metrics").addObject().put("id", "sample-accuracy");
        if (timeoutSeconds != null) {
            p.putObject("limits").put("stepTimeoutSeconds", timeoutSeconds);
        }
        return p;
    }

    private JsonNode awaitFinal(long runId) {
        JsonNode[] last = new JsonNode[1];
        TestBundles.await("run " + runId + " to finish", 120_000, () -> {
            try {
                last[0] = admin.get("/api/runs/" + runId).body();
                String status = last[0].path("run").path("status").asText();
                return !status.equals("QUEUED") && !status.equals("RUNNING");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        return last[0];
    }

    private long submit(ObjectNode pipeline) throws Exception {
        ApiClient.Response r = admin.postJson("/api/runs", pipeline);
        assertEquals(201, r.status(), r.raw());
        return r.body().get("id").asLong();
    }

    @Test
    @Order(1)
    void health_needs_no_token_but_everything_else_does() throws Exception {
        ApiClient anonymous = admin.as(null);
        ApiClient.Response health = anonymous.get("/api/health");
        assertEquals(200, health.status());
        assertEquals("ok", health.body().get("status").asText());
        assertEquals(401, anonymous.get("/api/components").status());
        assertEquals(401, admin.as("pur_wrong").get("/api/runs").status());
        ApiClient.Response me = admin.get("/api/me");
        assertEquals("admin", me.body().get("role").asText());
    }

    @Test
    @Order(2)
    void uploads_are_checked_and_an_unauthenticated_upload_gets_401() throws Exception {
        Path jar = TestHome.itBundles().resolve(TestHome.SAMPLE_PLUGINS);
        assertEquals(401, admin.as(null).postFile("/api/bundles", jar).status());
        ApiClient.Response garbage = admin.postBytes("/api/bundles?filename=junk.jar", "not a zip at all".getBytes());
        assertEquals(400, garbage.status(), garbage.raw());
        assertTrue(garbage.body().get("error").asText().contains("not a jar"), garbage.raw());
        Path plainJar = dir.resolve("plain.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(plainJar))) {
            out.putNextEntry(new java.util.jar.JarEntry("x.txt"));
            out.write(1);
        }
        ApiClient.Response plain = admin.postFile("/api/bundles?filename=plain.jar", plainJar);
        assertEquals(400, plain.status(), plain.raw());
        assertTrue(plain.body().get("error").asText().contains("not an OSGi bundle") || plain.body().get("error").asText().contains("MANIFEST"), plain.raw());
        try (var files = Files.list(home.resolve("deploy"))) {
            assertEquals(0, files.count(), "a refused upload leaves nothing in deploy/");
        }
        assertTrue(admin.get("/api/components?kind=defense").body().isEmpty());
    }

    @Test
    @Order(3)
    void an_uploaded_bundle_is_listed_and_a_researcher_may_not_deploy() throws Exception {
        String researcherToken = server.services().users().add("rita", io.purifier.server.auth.Role.RESEARCHER);
        ApiClient rita = admin.as(researcherToken);
        Path jar = TestHome.itBundles().resolve(TestHome.SAMPLE_PLUGINS);
        assertEquals(403, rita.postFile("/api/bundles", jar).status());
        long start = System.nanoTime();
        ApiClient.Response up = admin.postFile("/api/bundles?filename=sample.jar", jar);
        assertEquals(201, up.status(), up.raw());
        assertEquals("ACTIVE", up.body().path("bundle").path("state").asText());
        TestBundles.await("uploaded defense listed", 2_000, () -> {
            try {
                return admin.get("/api/components?kind=defense").body().size() == 1;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        System.out.printf("hot deploy over HTTP: listed %d ms after upload started%n", (System.nanoTime() - start) / 1_000_000);
        assertTrue(Files.exists(home.resolve("deploy/io.purifier.sample-plugins.jar")));
        ApiClient.Response builtIn = admin.delete("/api/bundles/org.apache.felix.scr");
        assertEquals(409, builtIn.status(), builtIn.raw());
        JsonNode components = admin.get("/api/components").body();
        assertEquals(6, components.size(), components.toString());
    }

    @Test
    @Order(4)
    void a_model_upload_is_checked_by_its_format() throws Exception {
        ApiClient.Response bad = admin.postBytes("/api/models?format=sample-linear&name=bad", "hello".getBytes());
        assertEquals(400, bad.status(), bad.raw());
        assertTrue(bad.body().get("error").asText().contains("not a sample-linear model"), bad.raw());
        ApiClient.Response unknown = admin.postBytes("/api/models?format=onnx", "x".getBytes());
        assertEquals(400, unknown.status());
        assertTrue(unknown.body().get("error").asText().contains("unknown model format 'onnx'"), unknown.raw());
        ApiClient.Response ok = admin.postBytes("/api/models?format=sample-linear&name=backdoored%20blobs", TestHome.backdooredSampleModel().getBytes());
        assertEquals(201, ok.status(), ok.raw());
        modelId = ok.body().get("id").asText();
        assertEquals("1x4x4", ok.body().path("info").path("inputShape").asText());
    }

    @Test
    @Order(5)
    void a_pipeline_of_sample_plugins_runs_and_removes_the_backdoor() throws Exception {
        long runId = submit(pipeline("none", null));
        JsonNode detail = awaitFinal(runId);
        assertEquals("SUCCEEDED", detail.path("run").path("status").asText(), detail.toString());
        assertEquals("admin", detail.path("run").path("createdBy").asText());
        ArrayNode steps = (ArrayNode) detail.get("steps");
        assertEquals(4, steps.size());
        steps.forEach(s -> assertEquals("SUCCEEDED", s.get("status").asText()));
        double asrBefore = metric(detail, 2, "ASR");
        double asrAfter = metric(detail, 3, "ASR");
        assertEquals(1.0, asrBefore, 1e-9, "the uploaded model is backdoored");
        assertEquals(0.0, asrAfter, 1e-9, "the sample defense removes the backdoor weight");
        assertEquals(1.0, metric(detail, 3, "ACC"), 1e-9);
        JsonNode defenseStep = steps.get(3);
        assertEquals("io.purifier.sample-plugins", defenseStep.get("bundleSymbolicName").asText());
        assertEquals(64, defenseStep.get("bundleSha256").asText().length());
        assertEquals(0.0, defenseStep.path("params").path("factor").asDouble());
        JsonNode provenance = detail.get("provenance");
        assertEquals(7, provenance.get("seed").asLong());
        assertEquals(64, provenance.path("dataset").path("contentHash").asText().length());
        assertTrue(provenance.path("platform").path("nd4jBackend").asText().contains("CpuBackend"), provenance.toString());
        assertEquals(4, provenance.get("steps").size());
        assertFalse(detail.get("curves").isEmpty());
        assertTrue(detail.get("curves").toString().contains("\"test/ASR\",\"points\":[[2.0,0.0]]"),
                "the reporting probe evaluates the purified model: " + detail.get("curves"));
        JsonNode artifacts = detail.get("artifacts");
        assertTrue(artifacts.toString().contains("trigger-0-clean-sample.png"), artifacts.toString());
        assertTrue(artifacts.toString().contains("purified-model.txt"), artifacts.toString());
        ApiClient.Response model = admin.get("/api/runs/" + runId + "/artifacts/3/purified-model.txt");
        assertEquals(200, model.status());
        assertTrue(model.raw().startsWith("sample-linear 1 4 4 3"));
        assertTrue(admin.get("/api/runs/" + runId + "/logs").body().size() > 3);
        succeededRun = runId;
    }

    private static double metric(JsonNode detail, int step, String name) {
        for (JsonNode m : detail.get("metrics")) {
            if (m.get("stepIndex").asInt() == step && m.get("name").asText().equals(name)) {
                return m.get("value").asDouble();
            }
        }
        throw new AssertionError("no metric " + name + " at step " + step + " in " + detail.get("metrics"));
    }

    @Test
    @Order(6)
    void broken_plugins_fail_their_runs_and_the_server_goes_on() throws Exception {
        JsonNode thrown = awaitFinal(submit(pipeline("throw", null)));
        assertEquals("FAILED", thrown.path("run").path("status").asText());
        assertTrue(thrown.path("run").path("error").asText().contains("simulated defense failure"), thrown.toString());
        assertEquals("FAILED", thrown.get("steps").get(3).get("status").asText());

        JsonNode nan = awaitFinal(submit(pipeline("nan", null)));
        assertEquals("FAILED", nan.path("run").path("status").asText());
        assertTrue(nan.path("run").path("error").asText().contains("NaN"), nan.toString());

        JsonNode hung = awaitFinal(submit(pipeline("hang", 1)));
        assertEquals("FAILED", hung.path("run").path("status").asText());
        assertTrue(hung.path("run").path("error").asText().contains("time limit of 1 s"), hung.toString());

        assertEquals(200, admin.get("/api/health").status());
        JsonNode again = awaitFinal(submit(pipeline("none", null)));
        assertEquals("SUCCEEDED", again.path("run").path("status").asText());
    }

    @Test
    @Order(7)
    void a_running_run_can_be_cancelled() throws Exception {
        long runId = submit(pipeline("slow", null));
        TestBundles.await("slow defense running", 60_000, () -> {
            try {
                return admin.get("/api/runs/" + runId).body().get("steps").get(3).get("status").asText().equals("RUNNING");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(202, admin.postJson("/api/runs/" + runId + "/cancel", "{}").status());
        JsonNode detail = awaitFinal(runId);
        assertEquals("CANCELLED", detail.path("run").path("status").asText());
        assertEquals("CANCELLED", detail.get("steps").get(3).get("status").asText());
        assertEquals(409, admin.postJson("/api/runs/" + runId + "/cancel", "{}").status());
    }

    @Test
    @Order(8)
    void an_invalid_pipeline_is_refused_with_every_problem_named() throws Exception {
        ObjectNode p = pipeline("none", null);
        ((ObjectNode) p.get("defenses").get(0).get("params")).put("factor", 99);
        p.putObject("limits").put("stepTimeoutSeconds", 0);
        ApiClient.Response r = admin.postJson("/api/runs", p);
        assertEquals(400, r.status(), r.raw());
        String problems = r.body().get("problems").toString();
        assertTrue(problems.contains("defenses[0].params.factor"), problems);
        assertTrue(problems.contains("limits.stepTimeoutSeconds"), problems);
        ApiClient.Response unknownField = admin.postJson("/api/runs",
                "{\"dataset\": {\"id\": \"sample-blobs\"}, \"modle\": {}, \"seed\": \"7\"}");
        assertEquals(400, unknownField.status());
        assertEquals(json.readTree("""
                [{"parameter": "model", "value": null, "message": "a value is required"},
                 {"parameter": "modle", "value": null, "message": "unknown member 'modle'; allowed here: $schema, attack, \
                dataset, defenses, limits, metrics, model, name, resources, robustness, seed"},
                 {"parameter": "seed", "value": "7", "message": "expected a whole number, got \\"7\\""}]"""), unknownField.body().get("problems"), unknownField.raw());
        assertEquals(400, admin.postJson("/api/runs", "{not json").status());
        assertEquals(404, admin.get("/api/runs/999999").status());
        assertEquals(400, admin.get("/api/runs/abc").status());
        assertEquals(400, admin.get("/api/runs?status=bogus").status());
    }

    @Test
    @Order(8)
    void viewers_get_the_pipeline_schema_and_saved_pipelines_keep_their_ids() throws Exception {
        ApiClient.Response created = admin.postJson("/api/users", Map.of("name", "vera", "role", "viewer"));
        assertEquals(201, created.status(), created.raw());
        ApiClient viewer = admin.as(created.body().get("token").asText());
        ApiClient.Response schema = viewer.get("/api/pipelines/schema");
        assertEquals(200, schema.status(), schema.raw());
        assertEquals(PipelineSchema.text(), schema.raw());
        assertEquals("urn:purifier:pipeline", schema.body().get("$id").asText());
        assertEquals(401, admin.as(null).get("/api/pipelines/schema").status());
        assertEquals(404, viewer.get("/api/pipelines/424242").status());
    }

    @Test
    @Order(9)
    void run_events_stream_over_sse() throws Exception {
        var lines = admin.sse("/api/runs/" + succeededRun + "/events", seen -> seen.stream().anyMatch(l -> l.startsWith("data:")));
        assertTrue(lines.contains("event: run"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("SUCCEEDED")), lines.toString());
    }

    @Test
    @Order(10)
    void history_and_deployed_bundles_survive_a_restart() throws Exception {
        server.close();
        server = PurifierServer.start(TestHome.config(home, Map.of()), true, null);
        admin = new ApiClient(server.port(), TestHome.adminToken(home));
        JsonNode detail = admin.get("/api/runs/" + succeededRun).body();
        assertNotNull(detail);
        assertEquals("SUCCEEDED", detail.path("run").path("status").asText());
        assertEquals(4, detail.get("steps").size());
        TestBundles.await("deployed bundle back after restart", 5_000, () -> {
            try {
                return admin.get("/api/components?kind=defense").body().size() == 1;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(admin.get("/api/runs").body().size() >= 6);
    }
}
