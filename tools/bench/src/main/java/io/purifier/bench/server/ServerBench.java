package io.purifier.bench.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.bench.EmbeddedServer;
import io.purifier.bench.Machine;
import io.purifier.bench.MarkedSections;
import io.purifier.client.ApiClient;
import io.purifier.server.EngineModelTrainer;
import io.purifier.server.PurifierServer;
import io.purifier.server.auth.Role;
import io.purifier.server.pipeline.ModelTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code purifier-bench server}: start time, hot-deploy latency, REST API latency (idle and while a run trains) and
 * the resident size over repeated runs of a server started in a temporary copy of the installation (see
 * {@link ServerBenchHome}); the measuring clients run in the benchmark's JVM and talk HTTP over loopback. Results: {@code bench/server.{md,json}} and the
 * {@code server} section of {@code benchmarks.md}.
 */
public final class ServerBench {

    /** The marked section of benchmarks.md this command writes. */
    public static final String SECTION = "server";

    private static final long HEALTH_DEADLINE_MS = 60_000;

    private final ObjectMapper json = new ObjectMapper();
    private final ServerBenchOptions options;
    private final PrintStream out;

    private ServerBench(ServerBenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * The command line: parses {@code args} (the options after {@code server}), runs the bench, writes the reports
     * and prints the Markdown.
     *
     * @param installation the installation to copy (conf/, bundles/)
     * @return 0 when the training run and every memory run succeeded, 1 otherwise
     * @throws IllegalArgumentException for bad options
     */
    public static int command(Path installation, List<String> args, PrintStream out) throws Exception {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(ServerBenchOptions.USAGE);
            return 0;
        }
        ServerBenchOptions options = ServerBenchOptions.parse(args, installation.resolve("docs"));
        ServerBenchReport report = run(installation, options, EngineModelTrainer.create(), out);
        write(report, options.outDir());
        out.println();
        out.print(report.markdown());
        out.println("wrote " + options.outDir().resolve("bench") + " (server.md, server.json) and "
                + options.outDir().resolve("benchmarks.md"));
        return report.ok() ? 0 : 1;
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
        ObjectMapper json = new ObjectMapper();
        Path benchDir = Files.createDirectories(outDir.resolve("bench"));
        String markdown = report.markdown();
        Files.writeString(benchDir.resolve("server.md"), "# Server benchmark (`./purifier bench server`)\n\n" + markdown);
        json.writerWithDefaultPrettyPrinter().writeValue(benchDir.resolve("server.json").toFile(), report.json(json));
        Path doc = outDir.resolve("benchmarks.md");
        String existing = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
        String section = "Measured by `./purifier bench server`, finished " + report.setting().get("finished")
                + " (also in `bench/server.{md,json}` next to this file).\n\n" + markdown;
        Files.writeString(doc, MarkedSections.replace(existing, SECTION, section));
    }

    private Map<String, Object> setting() {
        Map<String, Object> setting = new LinkedHashMap<>();
        setting.put("cores", Runtime.getRuntime().availableProcessors());
        setting.put("load average at start (1/5/15 min)", Machine.loadAverage());
        setting.put("Java", Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        setting.put("Purifier", PurifierServer.version());
        setting.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        setting.put("clients", "in the benchmark's JVM (which also runs the server), HTTP/1.1 over loopback");
        setting.put("options", String.format(Locale.ROOT, "--repeats %d --requests %d --clients %d --train-size %d --memory-runs %d",
                options.repeats(), options.requests(), options.clients(), options.trainSize(), options.memoryRuns()));
        return setting;
    }

    private ServerBenchReport measure(Path installation, ModelTrainer trainer) throws Exception {
        Map<String, Object> setting = setting();
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        long copyStart = System.nanoTime();
        try (ServerBenchHome home = ServerBenchHome.create(installation, options.deployJar())) {
            long homeCopy = (System.nanoTime() - copyStart) / 1_000_000;
            setting.put("bundles started at boot", countJars(home.home().resolve("bundles")));
            setting.put("FileInstall poll ms", home.config().fileInstallPollMs());
            setting.put("started", started);
            out.println("bench server: temporary installation " + home.home() + " (" + home.heldOutJar().getFileName()
                    + " held out for hot deploy)");
            try (EmbeddedServer server = EmbeddedServer.start(home.home(), home.overrides(), trainer, Role.ADMIN,
                    Duration.ofSeconds(60))) {
                ServerBenchReport.Start start = startTimes(server, homeCopy);
                out.printf("start: JVM start -> health %d ms, start call -> health %d ms%n", start.fromJvmStart(), start.fromStartCall());
                ApiClient api = server.api();
                List<ServerBenchReport.Deploy> deploys = new HotDeployProbe(api, out)
                        .measure(home.heldOutJar(), home.symbolicName(), home.config().deployDir(), options.repeats());

                TrainingRunProbe training = new TrainingRunProbe(api, out);
                long runId = training.startTraining(json, options.trainSize());
                out.printf("run %d is training; %d requests from %d clients%n", runId, options.requests(), options.clients());
                ServerBenchReport.Latency busy = latency(server, runId);
                boolean throughout = training.stillTraining(runId);
                out.printf("while training: p50 %.1f ms, p99 %.1f ms (model step still running: %s); waiting for the run%n",
                        busy.overall().p50(), busy.overall().p99(), throughout);
                ServerBenchReport.TrainingRun run = training.finish(runId, throughout);
                out.printf("run %d %s after %.0f s; idle: %d requests from %d clients%n", runId, run.status(),
                        run.wallSeconds(), options.requests(), options.clients());
                ServerBenchReport.Latency idle = latency(server, runId);
                out.printf("idle: p50 %.1f ms, p99 %.1f ms; memory: %d runs of the tiny BadNets pipeline%n",
                        idle.overall().p50(), idle.overall().p99(), options.memoryRuns());
                ServerBenchReport.Memory memory = new MemoryRunsProbe(api, out).measure(json, options.memoryRuns());
                setting.put("finished", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                return new ServerBenchReport(setting, start, home.heldOutJar().getFileName().toString(),
                        home.symbolicName(), deploys, idle, busy, run, memory);
            }
        }
    }

    /** Waits for {@code GET /api/health} and reads the start-up times. */
    private ServerBenchReport.Start startTimes(EmbeddedServer server, long homeCopy) throws Exception {
        ApiClient anonymous = server.api().as(null);
        long deadline = server.startCallNanos() + HEALTH_DEADLINE_MS * 1_000_000;
        while (anonymous.get("/api/health").status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("GET /api/health did not answer 200 within " + HEALTH_DEADLINE_MS + " ms");
            }
            Thread.sleep(1);
        }
        long fromCall = (System.nanoTime() - server.startCallNanos()) / 1_000_000;
        long fromJvm = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        PurifierServer.StartupTimes t = server.startupTimes();
        Map<String, Long> phases = new LinkedHashMap<>();
        phases.put("database", t.database());
        phases.put("nd4j", t.nd4j());
        phases.put("felix", t.felix());
        phases.put("http", t.http());
        phases.put("total", t.total());
        return new ServerBenchReport.Start(fromJvm, fromCall, homeCopy, phases);
    }

    private ServerBenchReport.Latency latency(EmbeddedServer server, long runId) throws Exception {
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("/api/health", "/api/health");
        endpoints.put("/api/components", "/api/components");
        endpoints.put("/api/runs", "/api/runs");
        endpoints.put("/api/runs/{id}", "/api/runs/" + runId);
        return ServerLatencyProbe.measure(server.api(), endpoints, options.requests(), options.clients());
    }

    private static long countJars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).count();
        }
    }
}
