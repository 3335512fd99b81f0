package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.client.ApiClient;
import io.purifier.server.auth.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs in worker processes, end to end with the sample plugins: cancellation while queued and while running, a worker
 * started with its pipeline's resources (a request this machine cannot meet is refused) and killed with SIGKILL, a
 * step that ignores its time limit and cancellation (its process is gone before the next run starts), the worker
 * credentials, and a worker whose bundles differ from the server's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerProcessIT {

    private static final Pattern WORKER_PID = Pattern.compile("handed to worker process (\\d+)");

    @TempDir
    static Path dir;
    Path home;
    PurifierServer server;
    ApiClient admin;
    String modelId;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        home = TestHome.create(dir, true);
        server = PurifierServer.start(TestHome.config(home, Map.of()), true, null);
        admin = new ApiClient(server.port(), TestHome.adminToken(home));
        ApiClient.Response model = admin.postBytes("/api/models?format=sample-linear", TestHome.backdooredSampleModel().getBytes());
        assertEquals(201, model.status(), model.raw());
        modelId = model.body().get("id").asText();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ObjectNode pipeline(String failMode, int seconds, Integer stepTimeoutSeconds) {
        ObjectNode p = json.createObjectNode();
        p.putObject("dataset").put("id", "sample-blobs");
        p.putObject("model").put("source", "stored").put("modelId", modelId);
        ObjectNode d = p.putArray("defenses").addObject();
        d.put("id", "sample-shrink");
        d.putObject("params").put("failMode", failMode).put("seconds", seconds).put("megabytes", "stuck".equals(failMode) ? 200 : 0);
        if (stepTimeoutSeconds != null) {
            p.putObject("limits").put("stepTimeoutSeconds", stepTimeoutSeconds);
        }
        return p;
    }

    private long submit(ObjectNode pipeline) throws Exception {
        ApiClient.Response r = admin.postJson("/api/runs", pipeline);
        assertEquals(201, r.status(), r.raw());
        return r.body().get("id").asLong();
    }

    private JsonNode detail(long runId) {
        try {
            return admin.get("/api/runs/" + runId).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode awaitStatus(long runId, String pattern, long millis) {
        JsonNode[] last = new JsonNode[1];
        TestBundles.await("run " + runId + " to be " + pattern, millis, () -> {
            last[0] = detail(runId);
            return last[0].path("run").path("status").asText().matches(pattern);
        });
        return last[0];
    }

    private void awaitDefenseRunning(long runId) {
        TestBundles.await("run " + runId + "'s defense step to run", 60_000,
                () -> detail(runId).path("steps").path(2).path("status").asText().equals("RUNNING"));
    }

    /** The process id of run {@code runId}'s worker, from the run log. */
    private long workerPid(long runId) throws Exception {
        String logs = admin.get("/api/runs/" + runId + "/logs").raw();
        Matcher m = WORKER_PID.matcher(logs);
        assertTrue(m.find(), logs);
        return Long.parseLong(m.group(1));
    }

    /** The NUL-separated entries of {@code /proc/PID/file} (its command line, its environment). */
    private static List<String> procList(long pid, String file) throws Exception {
        return List.of(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/" + file)), StandardCharsets.UTF_8).split("\0"));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    @Order(1)
    void a_run_executes_in_a_worker_process_that_is_gone_afterwards() throws Exception {
        long runId = submit(pipeline("none", 0, null));
        JsonNode d = awaitStatus(runId, "SUCCEEDED|FAILED|CANCELLED|INTERRUPTED", 60_000);
        assertEquals("SUCCEEDED", d.path("run").path("status").asText(), d.toString());
        long pid = workerPid(runId);
        assertTrue(pid != ProcessHandle.current().pid());
        TestBundles.await("worker " + pid + " to exit", 10_000, () -> !alive(pid));
        assertTrue(d.path("artifacts").toString().contains("purified-model.txt"), d.path("artifacts").toString());
        assertEquals(200, admin.get("/api/runs/" + runId + "/artifacts/2/purified-model.txt").status());
        TestBundles.await("the worker's directory to be removed", 10_000, () -> !Files.exists(home.resolve("data/workers/" + runId)));
        assertTrue(Files.readString(home.resolve("data/runs/" + runId + "/worker.log")).contains("purifier worker: run " + runId));
    }

    @Test
    @Order(2)
    void a_run_is_cancelled_while_queued_and_while_running() throws Exception {
        long running = submit(pipeline("slow", 120, null));
        awaitDefenseRunning(running);
        long queued = submit(pipeline("none", 0, null));
        assertEquals("QUEUED", detail(queued).path("run").path("status").asText(), "one slot: the second run waits");
        assertEquals(202, admin.postJson("/api/runs/" + queued + "/cancel", "{}").status());
        JsonNode q = awaitStatus(queued, "CANCELLED", 10_000);
        assertEquals("cancelled by admin before it started", q.path("run").path("error").asText());
        q.path("steps").forEach(s -> assertEquals("SKIPPED", s.path("status").asText()));

        long pid = workerPid(running);
        assertEquals(202, admin.postJson("/api/runs/" + running + "/cancel", "{}").status());
        JsonNode r = awaitStatus(running, "CANCELLED", 30_000);
        assertEquals("CANCELLED", r.path("steps").path(2).path("status").asText(), r.toString());
        assertTrue(r.path("run").path("error").asText().contains("cancelled by admin"), r.path("run").toString());
        TestBundles.await("the cancelled worker to exit", 20_000, () -> !alive(pid));
        assertEquals(409, admin.postJson("/api/runs/" + running + "/cancel", "{}").status());
    }

    @Test
    @Order(3)
    void a_worker_started_with_its_pipeline_s_resources_and_killed_with_sigkill_fails_its_run_with_the_reason() throws Exception {
        ObjectNode tooBig = pipeline("none", 0, null);
        tooBig.putObject("resources").put("cpus", 1024);
        ApiClient.Response refused = admin.postJson("/api/runs", tooBig);
        assertEquals(400, refused.status(), refused.raw());
        assertEquals("resources.cpus", refused.body().path("problems").path(0).path("parameter").asText(), refused.raw());
        assertTrue(refused.body().path("problems").path(0).path("message").asText().contains("which has "
                + Runtime.getRuntime().availableProcessors()), refused.raw());

        ObjectNode shaped = pipeline("slow", 120, null);
        shaped.putObject("resources").put("cpus", 1).put("memoryMegabytes", 1024);
        long runId = submit(shaped);
        awaitDefenseRunning(runId);
        long pid = workerPid(runId);
        assertTrue(admin.get("/api/runs/" + runId + "/logs").raw().contains("on this machine (1 CPU, 1024 MiB)"));
        List<String> args = procList(pid, "cmdline");
        assertTrue(args.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=1024M") && args.contains("-Xmx512m"), args.toString());
        assertTrue(procList(pid, "environ").contains("OMP_NUM_THREADS=1"), "the worker runs one thread");
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "SIGKILL sent");
        JsonNode d = awaitStatus(runId, "FAILED", 30_000);
        String error = d.path("run").path("error").asText();
        assertTrue(error.startsWith("the worker process ended (killed by signal 9 (SIGKILL)) before finishing the run"), error);
        assertTrue(error.contains("the last lines of its log: "), error);
        assertEquals("FAILED", d.path("steps").path(2).path("status").asText());
        assertTrue(admin.get("/api/runs/" + runId + "/logs").raw().contains("worker log: "), "the log's last lines are in the run log");
        JsonNode next = awaitStatus(submit(pipeline("none", 0, null)), "SUCCEEDED|FAILED", 60_000);
        assertEquals("SUCCEEDED", next.path("run").path("status").asText(), "the server goes on");
    }

    @Test
    @Order(4)
    void a_step_that_ignores_its_time_limit_is_stopped_with_its_process_before_the_next_run_starts() throws Exception {
        long stuck = submit(pipeline("stuck", 0, 1));
        long next = submit(pipeline("none", 0, null));
        awaitDefenseRunning(stuck);
        long pid = workerPid(stuck);
        TestBundles.await("the next run to leave the queue", 90_000, () -> {
            if (detail(next).path("run").path("status").asText().equals("QUEUED")) {
                return false;
            }
            assertFalse(alive(pid), "the next run started while the stuck run's worker " + pid + " was alive");
            return true;
        });
        JsonNode d = detail(stuck);
        assertEquals("FAILED", d.path("run").path("status").asText(), d.toString());
        assertTrue(d.path("run").path("error").asText().contains("exceeded its time limit of 1 s"), d.path("run").toString());
        assertTrue(Instant.parse(detail(next).path("run").path("startedAt").asText())
                .isAfter(Instant.parse(d.path("run").path("finishedAt").asText())));
        assertEquals("SUCCEEDED", awaitStatus(next, "SUCCEEDED|FAILED", 60_000).path("run").path("status").asText());
    }

    @Test
    @Order(5)
    void a_worker_credential_is_good_for_its_own_run_only_and_not_for_the_api() throws Exception {
        long mine = submit(pipeline("slow", 120, null));
        awaitDefenseRunning(mine);
        var tokens = server.services().workerTokens();
        String credential = tokens.issue(mine, Instant.now().plusSeconds(600));
        ApiClient worker = admin.as(credential);
        ApiClient.Response ticket = worker.get("/api/worker/runs/" + mine + "/ticket");
        assertEquals(200, ticket.status(), ticket.raw());
        assertEquals("sample-shrink", ticket.body().path("pipeline").path("defenses").path(0).path("defense").path("id").asText());
        assertTrue(ticket.body().path("bundles").toString().contains("io.purifier.sample-plugins"));

        ApiClient.Response other = worker.get("/api/worker/runs/" + (mine - 1) + "/ticket");
        assertEquals(403, other.status(), other.raw());
        assertTrue(other.body().path("error").asText().contains("is for run " + mine), other.raw());
        assertEquals(401, worker.get("/api/runs").status(), "a worker credential is no user token");
        assertEquals(401, worker.postJson("/api/runs/" + mine + "/cancel", "{}").status());

        String expired = tokens.issue(mine, Instant.now().minusSeconds(1));
        ApiClient.Response late = admin.as(expired).get("/api/worker/runs/" + mine + "/ticket");
        assertEquals(401, late.status(), late.raw());
        assertTrue(late.body().path("error").asText().contains("expired"), late.raw());
        assertEquals(401, admin.as("pwk_unknown").get("/api/worker/runs/" + mine + "/ticket").status());

        String researcher = server.services().users().add("rob", Role.RESEARCHER);
        ApiClient.Response user = admin.as(researcher).get("/api/worker/runs/" + mine + "/ticket");
        assertEquals(403, user.status(), user.raw());
        assertEquals(200, admin.get("/api/worker/runs/" + mine + "/ticket").status(), "an admin may act as a worker");
        ApiClient.Response bad = worker.postJson("/api/worker/runs/" + mine + "/events",
                "{\"seq\": 1000, \"events\": [{\"type\": \"curve\", \"step\": 9, \"series\": \"x\", \"x\": 1, \"y\": 2}]}");
        assertEquals(400, bad.status(), bad.raw());
        assertTrue(bad.body().path("error").asText().startsWith("events[0].step: 9 is not a step of this run"), bad.raw());

        assertEquals(202, admin.postJson("/api/runs/" + mine + "/cancel", "{}").status());
        awaitStatus(mine, "CANCELLED", 30_000);
        TestBundles.await("the run's credentials to be revoked", 20_000, () -> tokens.find(credential).isEmpty());
        assertEquals(401, worker.get("/api/worker/runs/" + mine + "/ticket").status());
    }

    @Test
    @Order(6)
    void a_worker_whose_bundles_differ_from_the_server_s_fails_the_run_naming_the_bundle_and_both_versions() throws Exception {
        Path jar = home.resolve("bundles").resolve(TestHome.SAMPLE_PLUGINS);
        Path original = dir.resolve("original-sample-plugins.jar");
        Files.copy(jar, original, StandardCopyOption.REPLACE_EXISTING);
        String serverVersion = admin.get("/api/bundles").body().findParents("symbolicName").stream()
                .filter(b -> b.path("symbolicName").asText().equals("io.purifier.sample-plugins"))
                .findFirst().orElseThrow().path("version").asText();
        try {
            TestBundles.withIdentity(original, jar, "io.purifier.sample-plugins", "9.9.9");
            JsonNode d = awaitStatus(submit(pipeline("none", 0, null)), "SUCCEEDED|FAILED", 60_000);
            assertEquals("FAILED", d.path("run").path("status").asText());
            String error = d.path("run").path("error").asText();
            assertTrue(error.startsWith("bundle io.purifier.sample-plugins differs: the server runs version " + serverVersion), error);
            assertTrue(error.contains("this worker has version 9.9.9"), error);
        } finally {
            Files.copy(original, jar, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
