package io.purifier.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.server.PurifierServer;
import io.purifier.server.pipeline.ModelTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code purifier bench server}: start time, hot-deploy latency and REST API latency (idle and while a run trains)
 * of a server started in a temporary copy of the installation (see {@link ServerBenchHome}); the clients run in
 * the same JVM and talk HTTP over loopback. Results: {@code bench/server.{md,json}} and the {@code server} section
 * of {@code benchmarks.md}.
 */
public final class ServerBench {

    /** The marked section of benchmarks.md this command writes. */
    public static final String SECTION = "server";

    private static final long POLL_MS = 10;
    private static final long DEPLOY_DEADLINE_MS = 60_000;
    private static final long TRAINING_START_DEADLINE_MS = 10 * 60_000;
    private static final long RUN_DEADLINE_MS = 60 * 60_000;
    private static final int TEST_SIZE = 1000;

    private final ObjectMapper json = PurifierServer.objectMapper();
    private final ServerBenchOptions options;
    private final PrintStream out;

    private ServerBench(ServerBenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * The command line: parses {@code args} (the options after {@code bench server}), runs the bench, writes the
     * reports and prints the Markdown.
     *
     * @param installation the installation to copy (conf/, bundles/)
     * @param args         options
     * @param out          progress and results
     * @param trainer      the engine's model trainer
     * @return 0 when the training run succeeded, 1 otherwise
     * @throws IllegalArgumentException for bad options
     */
    public static int command(Path installation, List<String> args, PrintStream out, ModelTrainer trainer) throws Exception {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(ServerBenchOptions.USAGE);
            return 0;
        }
        ServerBenchOptions options = ServerBenchOptions.parse(args, installation.resolve("docs"));
        ServerBenchReport report = run(installation, options, trainer, out);
        write(report, options.outDir());
        out.println();
        out.print(report.markdown());
        out.println("wrote " + options.outDir().resolve("bench") + " (server.md, server.json) and "
                + options.outDir().resolve("benchmarks.md"));
        return report.run().ok() ? 0 : 1;
    }

    /**
     * Runs every measurement in a temporary copy of {@code installation} and deletes the copy afterwards.
     *
     * @param installation the installation to copy
     * @param options      settings
     * @param trainer      the engine's model trainer
     * @param out          progress lines
     */
    public static ServerBenchReport run(Path installation, ServerBenchOptions options, ModelTrainer trainer,
                                        PrintStream out) throws Exception {
        return new ServerBench(options, out).measure(installation, trainer);
    }

    /**
     * Writes {@code outDir/bench/server.md}, {@code outDir/bench/server.json} and the {@code server} section of
     * {@code outDir/benchmarks.md} (created when absent).
     */
    public static void write(ServerBenchReport report, Path outDir) throws IOException {
        ObjectMapper json = PurifierServer.objectMapper();
        Path benchDir = Files.createDirectories(outDir.resolve("bench"));
        String markdown = report.markdown();
        Files.writeString(benchDir.resolve("server.md"), "# Server benchmark (`./purifier bench server`)\n\n" + markdown);
        json.writerWithDefaultPrettyPrinter().writeValue(benchDir.resolve("server.json").toFile(), report.json(json));
        Path doc = outDir.resolve("benchmarks.md");
        String existing = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
        String section = "Measured by `./purifier bench server`, finished " + report.setting().get("finished")
                + " (also in `bench/server.{md,json}` next to this file).\n\n" + markdown;
        Files.writeString(doc, BenchTables.replaceSection(existing, SECTION, section));
    }

    private ServerBenchReport measure(Path installation, ModelTrainer trainer) throws Exception {
        Map<String, Object> setting = new LinkedHashMap<>();
        setting.put("cores", Runtime.getRuntime().availableProcessors());
        setting.put("load average at start (1/5/15 min)", loadAverage());
        setting.put("Java", Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        setting.put("Purifier", PurifierServer.version());
        setting.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        setting.put("clients", "in the server's JVM, HTTP/1.1 over loopback");
        setting.put("options", String.format(Locale.ROOT, "--repeats %d --requests %d --clients %d --train-size %d",
                options.repeats(), options.requests(), options.clients(), options.trainSize()));
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        long copyStart = System.nanoTime();
        try (ServerBenchHome home = ServerBenchHome.create(installation, options.deployJar())) {
            long homeCopy = (System.nanoTime() - copyStart) / 1_000_000;
            setting.put("bundles started at boot", countJars(home.home().resolve("bundles")));
            setting.put("FileInstall poll ms", home.config().fileInstallPollMs());
            setting.put("started", started);
            out.println("bench server: temporary installation " + home.home() + " (" + home.heldOutJar().getFileName()
                    + " held out for hot deploy)");
            long callStart = System.nanoTime();
            try (PurifierServer server = PurifierServer.start(home.config(), true, trainer)) {
                ServerBenchClient anonymous = new ServerBenchClient(server.port(), null);
                awaitHealth(anonymous);
                long fromCall = (System.nanoTime() - callStart) / 1_000_000;
                long fromJvm = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                PurifierServer.StartupTimes t = server.startupTimes();
                Map<String, Long> phases = new LinkedHashMap<>();
                phases.put("database", t.database());
                phases.put("nd4j", t.nd4j());
                phases.put("felix", t.felix());
                phases.put("http", t.http());
                phases.put("total", t.total());
                ServerBenchReport.Start start = new ServerBenchReport.Start(fromJvm, fromCall, homeCopy, phases);
                out.printf("start: JVM start -> health %d ms, start call -> health %d ms%n", fromJvm, fromCall);
                String token = Files.readString(home.config().dataDir().resolve(PurifierServer.ADMIN_TOKEN_FILE)).trim();
                ServerBenchClient api = new ServerBenchClient(server.port(), token);

                List<ServerBenchReport.Deploy> deploys = hotDeploy(api, home);

                long runId = submitTrainingRun(api);
                awaitModelStepRunning(api, runId);
                out.printf("run %d is training; %d requests from %d clients%n", runId, options.requests(), options.clients());
                ServerBenchReport.Latency training = ServerLatencyProbe.measure(server.port(), token, endpoints(runId),
                        options.requests(), options.clients());
                boolean throughout = modelStepRunning(runDetail(api, runId));
                out.printf("while training: p50 %.1f ms, p99 %.1f ms (model step still running: %s); waiting for the run%n",
                        training.overall().p50(), training.overall().p99(), throughout);
                JsonNode finished = awaitRunEnd(api, runId);
                ServerBenchReport.TrainingRun run = trainingRun(finished, runId, throughout);
                out.printf("run %d %s after %.0f s; idle: %d requests from %d clients%n", runId, run.status(),
                        run.wallSeconds(), options.requests(), options.clients());
                ServerBenchReport.Latency idle = ServerLatencyProbe.measure(server.port(), token, endpoints(runId),
                        options.requests(), options.clients());
                setting.put("finished", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                return new ServerBenchReport(setting, start, home.heldOutJar().getFileName().toString(),
                        home.symbolicName(), deploys, idle, training, run);
            }
        }
    }

    private static Map<String, String> endpoints(long runId) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("/api/health", "/api/health");
        endpoints.put("/api/components", "/api/components");
        endpoints.put("/api/runs", "/api/runs");
        endpoints.put("/api/runs/{id}", "/api/runs/" + runId);
        return endpoints;
    }

    private void awaitHealth(ServerBenchClient anonymous) throws Exception {
        long deadline = System.nanoTime() + DEPLOY_DEADLINE_MS * 1_000_000;
        while (true) {
            try {
                if (anonymous.get("/api/health").status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("GET /api/health did not answer within " + DEPLOY_DEADLINE_MS + " ms", notYet);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("GET /api/health did not answer 200 within " + DEPLOY_DEADLINE_MS + " ms");
            }
            Thread.sleep(1);
        }
    }

    private List<ServerBenchReport.Deploy> hotDeploy(ServerBenchClient api, ServerBenchHome home) throws Exception {
        String bsn = home.symbolicName();
        Path jar = home.heldOutJar();
        Path deployDir = home.config().deployDir();
        Path deployed = deployDir.resolve(jar.getFileName());
        List<Double> moved = new ArrayList<>();
        List<Double> deleted = new ArrayList<>();
        List<Double> uploaded = new ArrayList<>();
        List<Double> removed = new ArrayList<>();
        for (int r = 1; r <= options.repeats(); r++) {
            Path part = deployDir.resolve("." + jar.getFileName() + ".part");
            Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
            long t = System.nanoTime();
            Files.move(part, deployed, StandardCopyOption.ATOMIC_MOVE);
            moved.add(awaitListed(api, bsn, true, t));

            t = System.nanoTime();
            Files.delete(deployed);
            deleted.add(awaitListed(api, bsn, false, t));
            awaitBundleGone(api, bsn);

            t = System.nanoTime();
            ServerBenchClient.Answer up = api.postFile("/api/bundles?filename=" + jar.getFileName(), jar);
            if (up.status() != 201 && up.status() != 200) {
                throw new IllegalStateException("POST /api/bundles of " + jar.getFileName() + " answered " + up.status() + ": " + up.body());
            }
            uploaded.add(awaitListed(api, bsn, true, t));

            t = System.nanoTime();
            ServerBenchClient.Answer down = api.delete("/api/bundles/" + bsn);
            if (down.status() != 204) {
                throw new IllegalStateException("DELETE /api/bundles/" + bsn + " answered " + down.status() + ": " + down.body());
            }
            removed.add(awaitListed(api, bsn, false, t));
            awaitBundleGone(api, bsn);
            out.printf("hot deploy %d/%d: deploy/ %.0f ms, delete %.0f ms, upload %.0f ms, HTTP removal %.0f ms%n", r,
                    options.repeats(), moved.get(r - 1), deleted.get(r - 1), uploaded.get(r - 1), removed.get(r - 1));
        }
        return List.of(
                new ServerBenchReport.Deploy("jar moved into `deploy/` → listed by `GET /api/components`", moved),
                new ServerBenchReport.Deploy("jar deleted from `deploy/` → no longer listed", deleted),
                new ServerBenchReport.Deploy("`POST /api/bundles` (upload) → listed", uploaded),
                new ServerBenchReport.Deploy("`DELETE /api/bundles/{bsn}` → no longer listed", removed));
    }

    /** Polls the component list until a component of {@code bsn} is (or is no longer) listed; ms since {@code t0}. */
    private double awaitListed(ServerBenchClient api, String bsn, boolean present, long t0) throws Exception {
        while (true) {
            ServerBenchClient.Answer a = api.get("/api/components");
            long now = System.nanoTime();
            if (a.status() == 200 && listed(json.readTree(a.body()), bsn) == present) {
                return (now - t0) / 1e6;
            }
            if ((now - t0) / 1_000_000 > DEPLOY_DEADLINE_MS) {
                throw new IllegalStateException("bundle " + bsn + " was " + (present ? "not listed" : "still listed")
                        + " by GET /api/components after " + DEPLOY_DEADLINE_MS + " ms");
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** Whether a component of the component list {@code components} comes from bundle {@code bsn}. */
    static boolean listed(JsonNode components, String bsn) {
        for (JsonNode c : components) {
            if (bsn.equals(c.path("bundle").path("symbolicName").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Waits until the bundle itself is uninstalled (so the next install of the same version is not refused). */
    private void awaitBundleGone(ServerBenchClient api, String bsn) throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            ServerBenchClient.Answer a = api.get("/api/bundles");
            boolean present = false;
            for (JsonNode b : json.readTree(a.body())) {
                present |= bsn.equals(b.path("symbolicName").asText());
            }
            if (a.status() == 200 && !present) {
                return;
            }
            if ((System.nanoTime() - t0) / 1_000_000 > DEPLOY_DEADLINE_MS) {
                throw new IllegalStateException("bundle " + bsn + " still installed " + DEPLOY_DEADLINE_MS + " ms after its removal");
            }
            Thread.sleep(POLL_MS);
        }
    }

    private long submitTrainingRun(ServerBenchClient api) throws Exception {
        ServerBenchClient.Answer a = api.postJson("/api/runs", json.writeValueAsString(trainingPipeline(json, options.trainSize())));
        if (a.status() != 201) {
            throw new IllegalStateException("the training pipeline was refused (" + a.status() + "): " + a.body());
        }
        return json.readTree(a.body()).path("id").asLong();
    }

    /** The pipeline that trains while the API is measured: small CNN, Fashion-MNIST, one epoch, no attack. */
    static ObjectNode trainingPipeline(ObjectMapper json, int trainSize) {
        ObjectNode p = json.createObjectNode();
        p.put("name", "bench server: small-cnn on " + trainSize + " Fashion-MNIST images under API load");
        p.put("seed", 1);
        p.putObject("dataset").put("id", "fashion-mnist").putObject("params").put("trainSize", trainSize).put("testSize", TEST_SIZE);
        ObjectNode model = p.putObject("model").put("source", "train");
        model.putObject("architecture").put("id", "small-cnn");
        model.putObject("training").put("epochs", 1);
        p.putArray("metrics").addObject().put("id", "c-acc");
        return p;
    }

    private JsonNode runDetail(ServerBenchClient api, long runId) throws Exception {
        ServerBenchClient.Answer a = api.get("/api/runs/" + runId);
        if (a.status() != 200) {
            throw new IllegalStateException("GET /api/runs/" + runId + " answered " + a.status() + ": " + a.body());
        }
        return json.readTree(a.body());
    }

    /** Whether the run's model step (training, then evaluation) is running. */
    static boolean modelStepRunning(JsonNode detail) {
        for (JsonNode step : detail.path("steps")) {
            if ("model".equals(step.path("kind").asText()) && "RUNNING".equals(step.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    private void awaitModelStepRunning(ServerBenchClient api, long runId) throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            JsonNode d = runDetail(api, runId);
            if (modelStepRunning(d)) {
                return;
            }
            String status = d.path("run").path("status").asText();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                throw new IllegalStateException("run " + runId + " ended " + status + " before its model step was seen running"
                        + (status.equals("SUCCEEDED") ? " (use a larger --train-size)" : ": " + d.path("run").path("error").asText()));
            }
            if ((System.nanoTime() - t0) / 1_000_000 > TRAINING_START_DEADLINE_MS) {
                throw new IllegalStateException("run " + runId + " did not start training within " + TRAINING_START_DEADLINE_MS / 1000 + " s");
            }
            Thread.sleep(POLL_MS);
        }
    }

    private JsonNode awaitRunEnd(ServerBenchClient api, long runId) throws Exception {
        long t0 = System.nanoTime();
        boolean cancelled = false;
        while (true) {
            JsonNode d = runDetail(api, runId);
            String status = d.path("run").path("status").asText();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return d;
            }
            if (!cancelled && (System.nanoTime() - t0) / 1_000_000 > RUN_DEADLINE_MS) {
                out.println("run " + runId + " still running after " + RUN_DEADLINE_MS / 60_000 + " min: cancelling it");
                api.postJson("/api/runs/" + runId + "/cancel", "{}");
                cancelled = true;
            }
            Thread.sleep(250);
        }
    }

    private static ServerBenchReport.TrainingRun trainingRun(JsonNode detail, long runId, boolean throughout) {
        JsonNode run = detail.path("run");
        double wall = 0;
        if (run.hasNonNull("startedAt") && run.hasNonNull("finishedAt")) {
            wall = (Instant.parse(run.get("finishedAt").asText()).toEpochMilli()
                    - Instant.parse(run.get("startedAt").asText()).toEpochMilli()) / 1000.0;
        }
        JsonNode dataset = detail.path("spec").path("dataset").path("params");
        String description = String.format(Locale.ROOT, "fashion-mnist %d training / %d test images, small-cnn, 1 epoch, no attack",
                dataset.path("trainSize").asInt(), dataset.path("testSize").asInt());
        return new ServerBenchReport.TrainingRun(runId, description, run.path("status").asText(), throughout, wall,
                run.hasNonNull("error") ? run.get("error").asText() : null);
    }

    /** The 1-, 5- and 15-minute load averages from /proc/loadavg, or "unknown". */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private static long countJars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).count();
        }
    }
}
