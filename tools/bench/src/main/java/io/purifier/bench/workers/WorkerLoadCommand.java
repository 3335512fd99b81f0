package io.purifier.bench.workers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.bench.EmbeddedServer;
import io.purifier.bench.Machine;
import io.purifier.bench.server.ServerLatencyStats;
import io.purifier.server.EngineModelTrainer;
import io.purifier.server.FileTrees;
import io.purifier.server.auth.Role;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code purifier-bench workers [--workers N] [--step-seconds S]}: N simulated workers stream a run each into one
 * server of this installation (own temporary data directory) at the rates of a training worker
 * ({@link WorkerProfile#TRAINING}), through the real Slurm executor with stand-in Slurm commands
 * ({@link FakeSlurmCommands}), while a probe reads the run list and run details as a user would. Reports the
 * latency (p50/p99) of the workers' reports and of the user requests, the server's CPU and the load average.
 */
public final class WorkerLoadCommand {

    /** The command's help text. */
    public static final String USAGE = """
            Usage: purifier-bench workers [--workers N] [--step-seconds S] [--batch-millis B]

            Starts a server of this installation with its own temporary data directory and executor=slurm over
            stand-in sbatch/squeue/scancel scripts, submits N tiny runs (default 100) and plays each run's worker: the
            ticket, then its 3 steps (dataset, attack, model) of S seconds (default 15) at a training worker's rates
            (a batch every B ms, default 200 as the worker's sender allows, with step and run progress; a log line
            and a curve point every second; metrics at each step's end), then the final status. A worker still
            reporting a minute after its last step should have ended counts as an error (the server fell behind). Meanwhile a user probe lists runs and reads run details 5 times a second. Prints the
            latency of the workers' reports and of the user requests (p50/p99), the server's CPU (process CPU minus
            the simulation's threads) and the load average.
            """;

    private WorkerLoadCommand() {
    }

    /** Runs the command; returns 0 when every run ended SUCCEEDED and no request failed. */
    public static int run(Path home, List<String> args, PrintStream out) throws Exception {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        int workers = 100;
        int stepSeconds = 15;
        int batchMillis = 200;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--workers" -> workers = number(args, ++i, "--workers", 1, 5000);
                case "--step-seconds" -> stepSeconds = number(args, ++i, "--step-seconds", 1, 3600);
                case "--batch-millis" -> batchMillis = number(args, ++i, "--batch-millis", 50, 60_000);
                default -> throw new IllegalArgumentException("unknown option '" + args.get(i) + "' for workers (see --help)");
            }
        }
        WorkerProfile profile = new WorkerProfile(Duration.ofMillis(batchMillis), WorkerProfile.TRAINING.logEvery(),
                Duration.ofSeconds(stepSeconds));
        Path root = Files.createTempDirectory("purifier-bench-workers-");
        try {
            return simulate(home, root, workers, profile, out);
        } finally {
            FileTrees.delete(root);
        }
    }

    private static int number(List<String> args, int i, String option, int min, int max) {
        if (i >= args.size() || !args.get(i).matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException(option + " needs a whole number");
        }
        int n = Integer.parseInt(args.get(i));
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + "], got " + n);
        }
        return n;
    }

    private static int simulate(Path home, Path root, int workers, WorkerProfile profile, PrintStream out) throws Exception {
        FakeSlurmCommands slurm = FakeSlurmCommands.create(root.resolve("slurm"));
        Path jobs = Files.createDirectories(root.resolve("jobs"));
        Map<String, String> settings = Map.of("data.dir", root.resolve("data").toString(), "executor", "slurm",
                "executor.slurm.binDir", slurm.bin().toString(), "executor.slurm.jobsDir", jobs.toString(),
                "executor.slurm.maxJobs", Integer.toString(workers), "runs.queue", Integer.toString(Math.max(100, workers)));
        ObjectMapper json = new ObjectMapper();
        String loadAtStart = Machine.loadAverage();
        try (EmbeddedServer server = EmbeddedServer.start(home, settings, EngineModelTrainer.create(), Role.RESEARCHER,
                Duration.ofSeconds(60))) {
            URI url = URI.create("http://127.0.0.1:" + server.port());
            List<Long> runs = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                runs.add(server.api().submitRun(pipeline(json, i)));
            }
            out.printf("%d runs submitted; %d simulated workers, %.0f events/s and %.1f batches/s each, %d s per step%n",
                    workers, workers, profile.eventsPerSecond(), profile.batchesPerSecond(), profile.stepEvery().toSeconds());
            Queue<Double> reportLatency = new ConcurrentLinkedQueue<>();
            Queue<Double> userLatency = new ConcurrentLinkedQueue<>();
            AtomicLong events = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicInteger threadNo = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(workers + 1, r -> new Thread(r, "sim-" + threadNo.incrementAndGet()));
            ExecutorService httpThreads = Executors.newFixedThreadPool(8, r -> new Thread(r, "sim-http-" + threadNo.incrementAndGet()));
            HttpClient http = HttpClient.newBuilder().executor(httpThreads).connectTimeout(Duration.ofSeconds(10)).build();
            CpuMeter cpu = new CpuMeter(name -> name.startsWith("sim-") || name.startsWith("HttpClient-"));
            Thread meter = new Thread(cpu, "sim-cpu-meter");
            meter.start();
            long t0 = System.nanoTime();
            long deadline = t0 + Duration.ofSeconds(5 + 3 * profile.stepEvery().toSeconds() + 60).toNanos();
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                long runId = runs.get(i);
                long delayMs = i * 5000L / workers;
                SimulatedWorker w = new SimulatedWorker(url, runId, jobs.resolve(Long.toString(runId)).resolve("credential"),
                        slurm, profile, http, json, reportLatency, events, errors, deadline);
                done.add(pool.submit(() -> {
                    Thread.sleep(delayMs);
                    w.run();
                    return null;
                }));
            }
            UserProbe probe = new UserProbe(server.api(), runs, userLatency, errors);
            pool.submit(probe);
            for (var f : done) {
                f.get();
            }
            probe.stop();
            double seconds = (System.nanoTime() - t0) / 1e9;
            cpu.stop();
            meter.join();
            pool.shutdown();
            httpThreads.shutdown();
            long succeeded = awaitSucceeded(server, runs, errors.get() == 0 ? Duration.ofMinutes(1) : Duration.ZERO);
            String loadAtEnd = Machine.loadAverage();
            ServerLatencyStats reports = ServerLatencyStats.of(reportLatency);
            ServerLatencyStats user = ServerLatencyStats.of(userLatency);
            List<Double> cores = cpu.samples();
            double meanCores = cores.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double maxCores = cores.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            out.println();
            out.printf("| workers | batch every ms | wall s | events/s | report batches | report p50 / p99 ms | user requests | user p50 / p99 ms"
                    + " | server CPU mean / max (cores) | runs SUCCEEDED | errors | load average start → end |%n");
            out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
            out.printf("| %d | %d | %.0f | %.0f | %d | %.1f / %.1f | %d | %.1f / %.1f | %.2f / %.2f | %d of %d | %d | %s → %s |%n",
                    workers, profile.batchEvery().toMillis(), seconds, events.get() / seconds, reports.count(), reports.p50(), reports.p99(), user.count(),
                    user.p50(), user.p99(), meanCores, maxCores, succeeded, workers, errors.get(), loadAtStart, loadAtEnd);
            out.printf("(%d CPUs; report latency includes the ticket and finish calls)%n", Runtime.getRuntime().availableProcessors());
            return succeeded == workers && errors.get() == 0 ? 0 : 1;
        }
    }

    /** How many of {@code runs} the history has SUCCEEDED, waiting up to {@code wait} for their last reports. */
    private static long awaitSucceeded(EmbeddedServer server, List<Long> runs, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        long succeeded = 0;
        do {
            succeeded = 0;
            for (long id : runs) {
                if ("SUCCEEDED".equals(server.api().get("/api/runs/" + id).body().path("run").path("status").asText())) {
                    succeeded++;
                }
            }
            if (succeeded == runs.size()) {
                break;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        return succeeded;
    }

    /** A tiny valid pipeline (its steps never execute: the simulated worker reports them). */
    private static ObjectNode pipeline(ObjectMapper json, int i) {
        ObjectNode p = json.createObjectNode();
        p.put("name", "simulated worker " + i);
        p.put("seed", i);
        p.putObject("dataset").put("id", "fashion-mnist").putObject("params").put("trainSize", 300).put("testSize", 100);
        ObjectNode model = p.putObject("model").put("source", "train");
        model.putObject("architecture").put("id", "small-cnn");
        model.putObject("training").put("epochs", 1).put("batchSize", 32);
        p.putObject("attack").put("id", "badnets").putObject("params").put("poisonRatio", 0.1);
        return p;
    }
}
