package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.client.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs on a real one-node Slurm cluster ({@link SlurmTestCluster}) with {@code executor=slurm}: a pipeline end to end
 * equal to a local run metric for metric; cancel while the job is pending and while it runs; a job with the
 * pipeline's resources (CPUs, memory, time limit) and its worker's threads, cancelled with {@code scancel} from
 * outside; a worker killed with SIGKILL; the server restarted while a job runs; a worker whose bundle differs. Part of
 * {@code ./purifier test --cluster}, not of the default suite (see docs/scale-out.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmExecutorClusterIT {

    private static final Pattern JOB = Pattern.compile("handed to Slurm job (\\d+)");

    @TempDir
    static Path dir;
    SlurmTestCluster cluster;
    Path home;
    Map<String, String> settings;
    PurifierServer server;
    ApiClient admin;
    String modelId;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        cluster = SlurmTestCluster.start(dir.resolve("cluster"));
        home = TestHome.create(dir, true, true);
        settings = new HashMap<>(cluster.serverSettings());
        try (ServerSocket s = new ServerSocket(0)) {
            settings.put("http.port", Integer.toString(s.getLocalPort()));
        }
        settings.put("executor.cancelGraceSeconds", "10");
        startServer();
        ApiClient.Response model = admin.postBytes("/api/models?format=sample-linear", TestHome.backdooredSampleModel().getBytes());
        assertEquals(201, model.status(), model.raw());
        modelId = model.body().get("id").asText();
    }

    private void startServer() throws Exception {
        server = PurifierServer.start(TestHome.config(home, settings), true, EngineModelTrainer.create());
        admin = TestHome.client(server.port(), TestHome.adminToken(home));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private ObjectNode samplePipeline(String failMode, int seconds) {
        ObjectNode p = json.createObjectNode();
        p.putObject("dataset").put("id", "sample-blobs");
        p.putObject("model").put("source", "stored").put("modelId", modelId);
        ObjectNode d = p.putArray("defenses").addObject();
        d.put("id", "sample-shrink");
        d.putObject("params").put("failMode", failMode).put("seconds", seconds);
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
        TestBundles.await("run " + runId + "'s defense step to run", 180_000,
                () -> detail(runId).path("steps").path(2).path("status").asText().equals("RUNNING"));
    }

    /** Run {@code runId}'s Slurm job id, from the run log. */
    private String jobId(long runId) throws Exception {
        long[] found = {-1};
        TestBundles.await("run " + runId + " to be handed to a Slurm job", 30_000, () -> {
            try {
                Matcher m = JOB.matcher(admin.get("/api/runs/" + runId + "/logs").raw());
                if (m.find()) {
                    found[0] = Long.parseLong(m.group(1));
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return found[0] >= 0;
        });
        return Long.toString(found[0]);
    }

    /** The job's state in {@code squeue}. */
    private String jobState(String jobId) throws Exception {
        return cluster.slurm("squeue", "--noheader", "--states=all", "--jobs=" + jobId, "--format=%T").strip();
    }

    /** The worker process of run {@code runId} on this (the only) node, found by its command line in /proc. */
    private ProcessHandle worker(long runId) {
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                String cmd = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
                return cmd.contains("io.purifier.server.Main worker ") && cmd.contains(" --run " + runId + " ");
            } catch (Exception e) {
                return false;
            }
        }).findFirst().orElseThrow(() -> new AssertionError("no worker process for run " + runId));
    }

    private void awaitJobState(String jobId, String pattern) {
        TestBundles.await("job " + jobId + " to be " + pattern, 60_000, () -> {
            try {
                return jobState(jobId).matches(pattern);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private List<String> metrics(JsonNode run) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : run.get("metrics")) {
            out.add(m.get("stepIndex").asInt() + " " + m.get("metricId").asText() + " " + m.get("name").asText()
                    + " = " + m.get("value").asDouble());
        }
        return out;
    }

    @Test
    @Order(1)
    void a_pipeline_on_slurm_has_the_history_of_the_same_pipeline_run_locally() throws Exception {
        ObjectNode p = TestHome.tinyBadNetsPipeline(json, 11);
        ObjectNode npd = p.putArray("defenses").addObject().put("id", "npd");
        npd.putObject("params").put("epochs", 1).put("warmupEpochs", 1).put("batchSize", 16);
        npd.putObject("data").put("fraction", 0.2);
        p.putArray("metrics").addObject().put("id", "c-acc");
        p.withArray("metrics").addObject().put("id", "asr");

        JsonNode onSlurm = TestHome.runToSuccess(admin, p, 600_000);
        long runId = onSlurm.path("run").path("id").asLong();
        String job = jobId(runId);
        awaitJobState(job, "COMPLETED");
        TestBundles.await("the job's files to be removed", 10_000, () -> !Files.exists(home.resolve("data/slurm/" + runId)));
        assertTrue(Files.readString(home.resolve("data/runs/" + runId + "/worker.log")).contains("Slurm job " + job),
                "the job's output is in the run's worker log");

        Path localParent = Files.createDirectories(dir.resolve("local"));
        Path localHome = TestHome.create(localParent, false, true);
        JsonNode local;
        try (PurifierServer localServer = PurifierServer.start(TestHome.config(localHome, Map.of()), true, EngineModelTrainer.create())) {
            local = TestHome.runToSuccess(TestHome.client(localServer.port(), TestHome.adminToken(localHome)), p, 600_000);
        }
        assertEquals(metrics(local), metrics(onSlurm));
        assertEquals(local.path("steps").size(), onSlurm.path("steps").size());
        assertEquals(local.path("artifacts").size(), onSlurm.path("artifacts").size());
    }

    @Test
    @Order(2)
    void a_run_is_cancelled_while_its_job_is_pending_and_while_it_runs() throws Exception {
        cluster.drain();
        long pending;
        String pendingJob;
        try {
            pending = submit(samplePipeline("none", 0));
            pendingJob = jobId(pending);
            assertEquals("PENDING", jobState(pendingJob));
            assertEquals("QUEUED", detail(pending).path("run").path("status").asText(), "a pending job is a queued run");
            assertEquals(202, admin.postJson("/api/runs/" + pending + "/cancel", "{}").status());
            JsonNode d = awaitStatus(pending, "CANCELLED|FAILED|SUCCEEDED|INTERRUPTED", 30_000);
            assertEquals("CANCELLED", d.path("run").path("status").asText(), d.toString());
            assertTrue(d.path("run").path("error").asText().contains("cancelled by admin"), d.path("run").toString());
            assertEquals("CANCELLED", jobState(pendingJob));
        } finally {
            cluster.resume();
        }

        long running = submit(samplePipeline("slow", 300));
        awaitDefenseRunning(running);
        String job = jobId(running);
        assertEquals("RUNNING", jobState(job));
        assertEquals(202, admin.postJson("/api/runs/" + running + "/cancel", "{}").status());
        JsonNode r = awaitStatus(running, "CANCELLED|FAILED|SUCCEEDED|INTERRUPTED", 60_000);
        assertEquals("CANCELLED", r.path("run").path("status").asText(), r.toString());
        assertEquals("CANCELLED", r.path("steps").path(2).path("status").asText(), r.toString());
        awaitJobState(job, "CANCELLED|COMPLETED|FAILED");
    }

    @Test
    @Order(3)
    void a_job_with_its_pipeline_s_resources_cancelled_with_scancel_outside_purifier_cancels_its_run() throws Exception {
        ObjectNode p = samplePipeline("slow", 300);
        p.putObject("resources").put("cpus", 1).put("memoryMegabytes", 1024).put("timeLimitMinutes", 30);
        long runId = submit(p);
        awaitDefenseRunning(runId);
        String job = jobId(runId);
        String shown = cluster.slurm("scontrol", "show", "job", job);
        assertTrue(shown.contains("NumCPUs=1 ") && shown.contains("TimeLimit=00:30:00")
                && shown.matches("(?s).*MinMemory(Node|CPU)=(1G|1024M).*"), shown);
        String environment = Files.readString(Path.of("/proc", Long.toString(worker(runId).pid()), "environ"));
        assertTrue(List.of(environment.split("\0")).contains("OMP_NUM_THREADS=1"), "the worker runs the job's one CPU");
        cluster.slurm("scancel", job);
        JsonNode d = awaitStatus(runId, "CANCELLED|FAILED|SUCCEEDED|INTERRUPTED", 60_000);
        String error = d.path("run").path("error").asText();
        assertEquals("CANCELLED", d.path("run").path("status").asText(), d.toString());
        assertTrue(error.startsWith("its job was cancelled outside Purifier: Slurm job " + job + " CANCELLED"), error);
    }

    @Test
    @Order(4)
    void a_worker_killed_with_sigkill_fails_its_run_with_the_job_s_state_and_exit() throws Exception {
        long runId = submit(samplePipeline("slow", 300));
        awaitDefenseRunning(runId);
        String job = jobId(runId);
        assertTrue(worker(runId).destroyForcibly(), "SIGKILL sent");
        JsonNode d = awaitStatus(runId, "CANCELLED|FAILED|SUCCEEDED|INTERRUPTED", 60_000);
        String error = d.path("run").path("error").asText();
        assertEquals("FAILED", d.path("run").path("status").asText(), d.toString());
        assertTrue(error.startsWith("the worker process ended (Slurm job " + job + " FAILED"), error);
        assertTrue(error.contains("killed by signal 9 (SIGKILL)") || error.contains("exit code 137"), error);
        assertEquals("FAILED", d.path("steps").path(2).path("status").asText());
    }

    @Test
    @Order(5)
    void a_server_restarted_while_a_job_runs_watches_it_again_and_the_run_succeeds() throws Exception {
        long runId = submit(samplePipeline("slow", 40));
        awaitDefenseRunning(runId);
        String job = jobId(runId);
        server.close();
        server = null;
        assertEquals("RUNNING", jobState(job), "the job outlives the server");
        startServer();
        JsonNode d = awaitStatus(runId, "CANCELLED|FAILED|SUCCEEDED|INTERRUPTED", 180_000);
        assertEquals("SUCCEEDED", d.path("run").path("status").asText(), d.toString());
        String logs = admin.get("/api/runs/" + runId + "/logs").raw();
        assertTrue(logs.contains("the server restarted; watching Slurm job " + job + " again"), logs);
        assertTrue(d.path("artifacts").toString().contains("purified-model.txt"), d.path("artifacts").toString());
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
            JsonNode d = awaitStatus(submit(samplePipeline("none", 0)), "SUCCEEDED|FAILED", 180_000);
            assertEquals("FAILED", d.path("run").path("status").asText());
            String error = d.path("run").path("error").asText();
            assertTrue(error.startsWith("bundle io.purifier.sample-plugins differs: the server runs version " + serverVersion), error);
            assertTrue(error.contains("this worker has version 9.9.9"), error);
        } finally {
            Files.copy(original, jar, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
