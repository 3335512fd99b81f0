package io.purifier.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerBenchReportTest {

    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();

    static ServerBenchReport report() {
        Map<String, Object> setting = new LinkedHashMap<>();
        setting.put("cores", 2);
        setting.put("load average at start (1/5/15 min)", "0.50 0.40 0.30");
        setting.put("finished", "2026-11-20T10:00:00Z");
        Map<String, Long> phases = new LinkedHashMap<>();
        phases.put("database", 700L);
        phases.put("nd4j", 400L);
        ServerBenchReport.Start start = new ServerBenchReport.Start(4100, 2900, 35, phases);
        List<ServerBenchReport.Deploy> deploys = List.of(
                new ServerBenchReport.Deploy("jar moved into `deploy/` → listed", List.of(600.0, 900.0, 450.0)),
                new ServerBenchReport.Deploy("`POST /api/bundles` (upload) → listed", List.of(80.0, 70.0, 75.25)));
        Map<String, ServerLatencyStats> idleEndpoints = new LinkedHashMap<>();
        idleEndpoints.put("/api/health", new ServerLatencyStats(2, 1.0, 1.5, 1.5, 1.5, 1.25));
        idleEndpoints.put("/api/runs/{id}", new ServerLatencyStats(2, 4.0, 6.0, 6.0, 6.0, 5.0));
        ServerBenchReport.Latency idle = new ServerBenchReport.Latency(4, 2, idleEndpoints,
                new ServerLatencyStats(4, 1.5, 6.0, 6.0, 6.0, 3.125), 0, 20);
        Map<String, ServerLatencyStats> busyEndpoints = new LinkedHashMap<>();
        busyEndpoints.put("/api/health", new ServerLatencyStats(2, 10.0, 30.0, 30.0, 30.0, 20.0));
        busyEndpoints.put("/api/runs/{id}", new ServerLatencyStats(2, 40.0, 120.0, 120.0, 120.0, 80.0));
        ServerBenchReport.Latency busy = new ServerBenchReport.Latency(4, 2, busyEndpoints,
                new ServerLatencyStats(4, 30.0, 120.0, 120.0, 120.0, 50.0), 1, 1500);
        ServerBenchReport.TrainingRun run = new ServerBenchReport.TrainingRun(1, "fashion-mnist 300 training images",
                "SUCCEEDED", true, 42.4, null);
        return new ServerBenchReport(setting, start, "defense-bcu-0.1.0.jar", "io.purifier.defense-bcu", deploys, idle, busy, run,
                memory(List.of(300_000L, 306_000L, 309_000L)));
    }

    /** Memory runs 2, 3, 4 with the given resident sizes (KB) after each; 296,960 KB (290 MB) before. */
    static ServerBenchReport.Memory memory(List<Long> rssKb) {
        List<ServerBenchReport.MemoryRun> runs = new java.util.ArrayList<>();
        for (int i = 0; i < rssKb.size(); i++) {
            runs.add(new ServerBenchReport.MemoryRun(2 + i, "SUCCEEDED", 9.6 + i, rssKb.get(i), null));
        }
        return new ServerBenchReport.Memory("tiny badnets", "-Xmx512m -XX:+UseSerialGC", 296_960, runs);
    }

    @Test
    void markdown_has_the_setting_and_a_row_per_measurement() {
        String md = report().markdown();
        assertTrue(md.startsWith("Setting: cores: 2; load average at start (1/5/15 min): 0.50 0.40 0.30; finished: 2026-11-20T10:00:00Z\n\n"), md);
        assertTrue(md.contains("| JVM start → `GET /api/health` answers 200 | 4100 (includes copying the temporary installation: 35) |\n"), md);
        assertTrue(md.contains("| `PurifierServer.start` called → `GET /api/health` answers 200 | 2900 (server phases: database 700, nd4j 400) |\n"), md);
        assertTrue(md.contains("Hot deploy of `defense-bcu-0.1.0.jar` (`io.purifier.defense-bcu`), 3 cycle(s);"), md);
        assertTrue(md.contains("| jar moved into `deploy/` → listed | 600.0 | 900.0 |\n"), md);
        assertTrue(md.contains("| `POST /api/bundles` (upload) → listed | 75.3 | 80.0 |\n"), md);
        assertTrue(md.contains("API latency, idle: 4 requests from 2 clients in 0.0 s, 0 not 200."), md);
        assertTrue(md.contains("(run 1: fashion-mnist 300 training images; SUCCEEDED, 42 s; model step running from the first "
                + "to the last request: yes): 4 requests from 2 clients in 1.5 s, 1 not 200."), md);
        String busy = md.substring(md.indexOf("while a run trains"));
        assertTrue(busy.contains("| `GET /api/runs/{id}` | 2 | 40.0 | 120.0 | 120.0 | 120.0 |\n"), busy);
        assertTrue(busy.contains("| all | 4 | 30.0 | 120.0 | 120.0 | 120.0 |\n"), busy);
        String idle = md.substring(md.indexOf("API latency, idle"), md.indexOf("while a run trains"));
        assertTrue(idle.contains("| `GET /api/health` | 2 | 1.0 | 1.5 | 1.5 | 1.5 |\n"), idle);
    }

    @Test
    void markdown_has_a_row_per_memory_run_and_the_growth_against_the_target() {
        String md = report().markdown();
        String memory = md.substring(md.indexOf("Server memory over runs"));
        assertTrue(memory.startsWith("Server memory over runs: 3 runs of the tiny BadNets pipeline (tiny badnets), one after another "
                + "(the first trains the attacked model, the others take it from the attack cache;"), memory);
        assertTrue(memory.contains("which runs the server and also the measuring clients (JVM options: -Xmx512m -XX:+UseSerialGC); "
                + "before the first run 290.0 MB.\n\n"), memory);
        assertTrue(memory.contains("| memory run | run id | status | wall s | resident MB after it |\n|---|---|---|---|---|\n"
                + "| 1 | 2 | SUCCEEDED | 10 | 293.0 |\n| 2 | 3 | SUCCEEDED | 11 | 298.8 |\n| 3 | 4 | SUCCEEDED | 12 | 301.8 |\n"), memory);
        assertTrue(memory.endsWith("Growth from after run 1 to after run 3: **+3.0 %** (target: within 10 %: yes).\n\n"), memory);
    }

    @Test
    void memory_growth_over_the_target_an_unknown_size_and_a_failed_run_are_reported_as_such() {
        ServerBenchReport.Memory grew = memory(List.of(300_000L, 400_000L));
        assertEquals(33.333, grew.growthPercent(), 0.001);
        assertFalse(grew.withinTarget());
        assertTrue(memory(List.of(300_000L, 330_000L)).withinTarget(), "exactly 10 % is within the target");
        assertFalse(memory(List.of(300_000L, 330_001L)).withinTarget());
        ServerBenchReport.Memory unknown = memory(List.of(0L, 0L));
        assertTrue(Double.isNaN(unknown.growthPercent()));
        assertFalse(unknown.withinTarget());
        ServerBenchReport base = report();
        String md = new ServerBenchReport(base.setting(), base.start(), base.deployJar(), base.deployBsn(), base.hotDeploy(),
                base.idle(), base.training(), base.run(), unknown).markdown();
        assertTrue(md.contains("| 1 | 2 | SUCCEEDED | 10 | unknown |\n"), md);
        assertTrue(md.contains("Growth from after run 1 to after run 2: unknown (no resident size read).\n"), md);
        assertTrue(report().ok());
        ServerBenchReport.Memory failed = new ServerBenchReport.Memory("tiny badnets", "none", 1, List.of(
                new ServerBenchReport.MemoryRun(2, "SUCCEEDED", 9, 300_000, null),
                new ServerBenchReport.MemoryRun(3, "FAILED", 1, 300_000, "no dataset | here\nsecond line")));
        ServerBenchReport withFailure = new ServerBenchReport(base.setting(), base.start(), base.deployJar(), base.deployBsn(),
                base.hotDeploy(), base.idle(), base.training(), base.run(), failed);
        assertFalse(withFailure.ok());
        assertTrue(withFailure.markdown().contains("| 2 | 3 | FAILED: no dataset / here second line | 1 | 293.0 |\n"), withFailure.markdown());
        assertEquals("the memory measurement needs at least one run",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> new ServerBenchReport.Memory("x", "none", 1, List.of())).getMessage());
    }

    @Test
    void json_has_every_number() {
        JsonNode root = report().json(json);
        assertEquals(2, root.path("setting").path("cores").asInt());
        assertEquals(4100, root.path("start").path("fromJvmStart").asLong());
        assertEquals(700, root.path("start").path("phases").path("database").asLong());
        assertEquals("io.purifier.defense-bcu", root.path("hotDeploy").path("symbolicName").asText());
        JsonNode upload = root.path("hotDeploy").path("operations").get(1);
        assertEquals(3, upload.path("samplesMs").size());
        assertEquals(75.25, upload.path("medianMs").asDouble());
        assertEquals(80.0, upload.path("maxMs").asDouble());
        assertEquals(120.0, root.path("apiTraining").path("perEndpoint").path("/api/runs/{id}").path("p99").asDouble());
        assertEquals(1, root.path("apiTraining").path("errors").asInt());
        assertEquals(3.125, root.path("apiIdle").path("overall").path("mean").asDouble());
        assertEquals("SUCCEEDED", root.path("run").path("status").asText());
        assertTrue(root.path("run").path("trainingThroughout").asBoolean());
        JsonNode memory = root.path("memory");
        assertEquals(296_960, memory.path("rssKbBefore").asLong());
        assertEquals(3, memory.path("runs").size());
        assertEquals(306_000, memory.path("runs").get(1).path("rssKb").asLong());
        assertEquals(3, memory.path("runs").get(1).path("runId").asLong());
        assertEquals(3.0, memory.path("growthPercent").asDouble(), 1e-9);
        assertEquals(10.0, memory.path("targetPercent").asDouble());
        assertTrue(memory.path("withinTarget").asBoolean());
        assertEquals("-Xmx512m -XX:+UseSerialGC", memory.path("jvmOptions").asText());
        JsonNode unknown = new ServerBenchReport(new LinkedHashMap<>(), report().start(), "a.jar", "a", List.of(), report().idle(),
                report().training(), report().run(), memory(List.of(0L, 0L))).json(json).path("memory");
        assertTrue(unknown.path("growthPercent").isNull(), unknown.toString());
        assertFalse(unknown.path("withinTarget").asBoolean());
    }

    @Test
    void write_puts_the_tables_in_the_marked_section_and_the_bench_files() throws Exception {
        Path doc = dir.resolve("benchmarks.md");
        Files.writeString(doc, "# Benchmarks\n\n## Server\n\n<!-- bench:server:begin -->\nold numbers\n<!-- bench:server:end -->\n\n## Engine\nkept\n");
        ServerBench.write(report(), dir);
        String text = Files.readString(doc);
        assertFalse(text.contains("old numbers"), text);
        assertTrue(text.contains("## Server\n\n<!-- bench:server:begin -->\nMeasured by `./purifier bench server`, finished 2026-11-20T10:00:00Z"), text);
        assertTrue(text.contains("| all | 4 | 30.0 | 120.0 | 120.0 | 120.0 |\n\nServer memory over runs: 3 runs"), text);
        assertTrue(text.contains("(target: within 10 %: yes).\n\n<!-- bench:server:end -->\n\n## Engine\nkept\n"), text);
        assertTrue(Files.readString(dir.resolve("bench/server.md")).contains("| jar moved into `deploy/` → listed | 600.0 | 900.0 |"));
        assertEquals(4100, json.readTree(dir.resolve("bench/server.json").toFile()).path("start").path("fromJvmStart").asLong());
    }

    @Test
    void components_and_steps_are_read_from_the_api_answers() throws Exception {
        JsonNode components = json.readTree("[{\"id\":\"npd\",\"bundle\":{\"symbolicName\":\"io.purifier.defense-npd\"}},"
                + "{\"id\":\"bcu\",\"bundle\":{\"symbolicName\":\"io.purifier.defense-bcu\"}}]");
        assertTrue(HotDeployProbe.listed(components, "io.purifier.defense-bcu"));
        assertFalse(HotDeployProbe.listed(components, "io.purifier.defense-bc"));
        JsonNode training = json.readTree("{\"steps\":[{\"kind\":\"dataset\",\"status\":\"SUCCEEDED\"},{\"kind\":\"model\",\"status\":\"RUNNING\"}]}");
        JsonNode loading = json.readTree("{\"steps\":[{\"kind\":\"dataset\",\"status\":\"RUNNING\"},{\"kind\":\"model\",\"status\":\"PENDING\"}]}");
        assertTrue(TrainingRunProbe.modelStepRunning(training));
        assertFalse(TrainingRunProbe.modelStepRunning(loading));
        JsonNode pipeline = TrainingRunProbe.pipeline(json, 300);
        assertEquals(300, pipeline.path("dataset").path("params").path("trainSize").asInt());
        assertEquals("small-cnn", pipeline.path("model").path("architecture").path("id").asText());
        assertFalse(pipeline.has("attack"));
    }

    @Test
    void the_memory_runs_use_the_tiny_badnets_pipeline_and_read_the_jvm_s_memory_options() {
        JsonNode p = MemoryRunsProbe.pipeline(json);
        assertEquals(300, p.path("dataset").path("params").path("trainSize").asInt());
        assertEquals(100, p.path("dataset").path("params").path("testSize").asInt());
        assertEquals("badnets", p.path("attack").path("id").asText());
        assertEquals("small-cnn", p.path("model").path("architecture").path("id").asText());
        assertEquals(1, p.path("model").path("training").path("epochs").asInt());
        assertEquals(MemoryRunsProbe.SEED, p.path("seed").asLong());
        assertEquals("-Xmx512m -XX:+UseSerialGC -Dorg.bytedeco.javacpp.maxbytes=1G",
                MemoryRunsProbe.jvmOptions(List.of("-Xmx512m", "-XX:+UseSerialGC", "-Dpurifier.home=/opt/p",
                        "-Dorg.bytedeco.javacpp.maxbytes=1G", "-Dorg.bytedeco.javacpp.cachedir=/c")));
        assertEquals("none", MemoryRunsProbe.jvmOptions(List.of("-Dpurifier.home=/opt/p")));
    }
}
