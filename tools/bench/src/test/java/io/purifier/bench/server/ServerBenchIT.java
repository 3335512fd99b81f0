package io.purifier.bench.server;

import io.purifier.bench.BenchTestHome;
import io.purifier.server.EngineModelTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole server bench with tiny settings against real bundles (Fashion-MNIST, BadNets, the core metrics; the
 * sample plugins are the hot-deployed bundle), all over HTTP: every measurement is present and plausible, and the
 * training run and the two memory runs succeed.
 */
class ServerBenchIT {

    @TempDir
    Path dir;

    private static void plausible(String what, ServerLatencyStats s, int count) {
        assertEquals(count, s.count(), what);
        assertTrue(s.p50() > 0, what + " p50 " + s);
        assertTrue(s.p50() <= s.p95() && s.p95() <= s.p99() && s.p99() <= s.max(), what + " " + s);
        assertTrue(s.max() < 30_000, what + " " + s);
    }

    @Test
    void measures_start_hot_deploy_api_latency_while_a_small_run_trains_and_memory_over_runs() throws Exception {
        Path installation = BenchTestHome.create(dir);
        Path docs = dir.resolve("docs");
        ServerBenchOptions options = new ServerBenchOptions(1, 20, 2, 300, 2, BenchTestHome.SAMPLE_PLUGINS, docs);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ServerBenchReport report;
        try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            report = ServerBench.run(installation, options, EngineModelTrainer.create(), out);
        }
        String progress = log.toString(StandardCharsets.UTF_8);
        System.out.print(progress);

        assertEquals("SUCCEEDED", report.run().status(), report.run() + "\n" + progress);
        assertTrue(report.run().wallSeconds() > 0, report.run().toString());
        assertTrue(report.start().fromStartCall() > 0, report.start().toString());
        assertTrue(report.start().fromJvmStart() >= report.start().fromStartCall(), report.start().toString());
        assertTrue(report.start().phases().get("total") <= report.start().fromStartCall(), report.start().toString());

        assertEquals("io.purifier.sample-plugins", report.deployBsn());
        assertEquals(4, report.hotDeploy().size());
        for (ServerBenchReport.Deploy d : report.hotDeploy()) {
            assertEquals(1, d.samplesMs().size(), d.operation());
            assertTrue(d.samplesMs().get(0) > 0 && d.samplesMs().get(0) < 60_000, d.toString());
        }

        for (ServerBenchReport.Latency latency : List.of(report.idle(), report.training())) {
            assertEquals(0, latency.errors(), progress);
            assertEquals(List.of("/api/health", "/api/components", "/api/runs", "/api/runs/{id}"),
                    List.copyOf(latency.perEndpoint().keySet()));
            latency.perEndpoint().forEach((endpoint, s) -> plausible(endpoint, s, 5));
            plausible("all", latency.overall(), 20);
        }

        ServerBenchReport.Memory memory = report.memory();
        assertEquals(2, memory.runs().size(), progress);
        assertTrue(memory.rssKbBefore() > 0, memory.toString());
        for (ServerBenchReport.MemoryRun r : memory.runs()) {
            assertEquals("SUCCEEDED", r.status(), r + "\n" + progress);
            assertTrue(r.runId() > report.run().runId() && r.wallSeconds() > 0 && r.rssKb() > 0, r.toString());
        }
        assertTrue(memory.runs().get(1).runId() > memory.runs().get(0).runId(), memory.toString());
        assertTrue(Double.isFinite(memory.growthPercent()), memory.toString());
        assertTrue(report.ok(), report.toString());

        ServerBench.write(report, docs);
        String section = Files.readString(docs.resolve("benchmarks.md"));
        assertTrue(section.contains("<!-- bench:server:begin -->") && section.contains("| all | 20 |"), section);
        assertTrue(section.contains("Server memory over runs: 2 runs of the tiny BadNets pipeline"), section);
        assertTrue(Files.size(docs.resolve("bench/server.json")) > 0);
        assertFalse(Files.exists(installation.resolve("data")), "the installation's own data directory is not created");
    }
}
