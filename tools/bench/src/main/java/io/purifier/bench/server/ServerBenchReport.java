package io.purifier.bench.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code purifier bench server} measured, rendered as Markdown tables and JSON.
 *
 * @param setting   machine and run setting (cores, load average at start, versions, options), in order
 * @param start     start-up times
 * @param deployJar the hot-deployed jar's file name
 * @param deployBsn its bundle symbolic name
 * @param hotDeploy one entry per hot-deploy operation, in order
 * @param idle      API latency with nothing running
 * @param training  API latency while the training run's model step runs
 * @param run       the training run
 * @param memory    the server's resident size over repeated runs
 */
public record ServerBenchReport(Map<String, Object> setting, Start start, String deployJar, String deployBsn,
                                List<Deploy> hotDeploy, Latency idle, Latency training, TrainingRun run, Memory memory) {

    /** The growth of the resident size from after the first run to after the last that is still within target. */
    public static final double MEMORY_TARGET_PERCENT = 10;

    /**
     * Start-up times in milliseconds.
     *
     * @param fromJvmStart  JVM start ({@code RuntimeMXBean.getStartTime()}) → {@code GET /api/health} answered 200
     * @param fromStartCall {@code PurifierServer.start} called → {@code GET /api/health} answered 200
     * @param homeCopy      copying the temporary installation (inside {@code fromJvmStart}, before the start call)
     * @param phases        the server's own phase times (database, nd4j, felix, http, total)
     */
    public record Start(long fromJvmStart, long fromStartCall, long homeCopy, Map<String, Long> phases) {
    }

    /**
     * The latencies of one hot-deploy operation over the repeats.
     *
     * @param operation what was done and awaited
     * @param samplesMs one duration per repeat, in milliseconds
     */
    public record Deploy(String operation, List<Double> samplesMs) {

        /** Median and maximum of the samples. */
        public ServerLatencyStats stats() {
            return ServerLatencyStats.of(samplesMs);
        }
    }

    /**
     * API latencies of one measurement.
     *
     * @param requests    requests issued (warm-up requests excluded)
     * @param clients     concurrent clients
     * @param perEndpoint endpoint (path template) → statistics, in round-robin order
     * @param overall     statistics over every request
     * @param errors      requests that did not answer 200
     * @param wallMs      wall time of the measurement
     */
    public record Latency(int requests, int clients, Map<String, ServerLatencyStats> perEndpoint,
                          ServerLatencyStats overall, int errors, double wallMs) {
    }

    /**
     * The run that trained while the API was measured.
     *
     * @param runId              its id in the temporary history
     * @param description        dataset, model and training in words
     * @param status             final status (SUCCEEDED, FAILED, ...)
     * @param trainingThroughout whether its model step was running before the first and after the last request
     * @param wallSeconds        run wall time (started → finished)
     * @param error              its error, or null
     */
    public record TrainingRun(long runId, String description, String status, boolean trainingThroughout,
                              double wallSeconds, String error) {

        /** Whether the run succeeded. */
        public boolean ok() {
            return "SUCCEEDED".equals(status);
        }
    }

    /**
     * One run of the memory measurement.
     *
     * @param runId       its id in the temporary history
     * @param status      final status (SUCCEEDED, FAILED, ...)
     * @param wallSeconds run wall time (started → finished)
     * @param rssKb       the benchmark JVM's resident size after the run, in KB (0 when unknown)
     * @param error       its error, or null
     */
    public record MemoryRun(long runId, String status, double wallSeconds, long rssKb, String error) {
    }

    /**
     * The resident size of the benchmark's JVM (the server and the measuring clients) over repeated runs.
     *
     * @param pipeline    the pipeline that ran, in words
     * @param jvmOptions  the JVM's memory options
     * @param rssKbBefore resident size before the first run, in KB (0 when unknown)
     * @param runs        the runs, in order (at least one)
     */
    public record Memory(String pipeline, String jvmOptions, long rssKbBefore, List<MemoryRun> runs) {

        /** Checks that there is a run. */
        public Memory {
            if (runs == null || runs.isEmpty()) {
                throw new IllegalArgumentException("the memory measurement needs at least one run");
            }
            runs = List.copyOf(runs);
        }

        /** Growth of the resident size from after the first run to after the last, in %; NaN when unknown. */
        public double growthPercent() {
            long first = runs.get(0).rssKb();
            long last = runs.get(runs.size() - 1).rssKb();
            return first <= 0 || last <= 0 ? Double.NaN : 100.0 * (last - first) / first;
        }

        /** Whether the growth is known and at most {@value #MEMORY_TARGET_PERCENT} %. */
        public boolean withinTarget() {
            return growthPercent() <= MEMORY_TARGET_PERCENT;
        }

        /** Whether every run succeeded. */
        public boolean ok() {
            return runs.stream().allMatch(r -> "SUCCEEDED".equals(r.status()));
        }
    }

    /** Whether the training run and every memory run succeeded. */
    public boolean ok() {
        return run.ok() && memory.ok();
    }

    /** The Markdown report: the setting in words, then start, hot-deploy, latency and memory tables. */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("Setting: ").append(settingText()).append("\n\n");
        out.append("| start | ms |\n|---|---|\n");
        out.append("| JVM start → `GET /api/health` answers 200 | ").append(start.fromJvmStart())
                .append(" (includes copying the temporary installation: ").append(start.homeCopy()).append(") |\n");
        out.append("| `PurifierServer.start` called → `GET /api/health` answers 200 | ").append(start.fromStartCall())
                .append(phasesText()).append(" |\n\n");
        out.append(String.format(Locale.ROOT, "Hot deploy of `%s` (`%s`), %d cycle(s); each duration runs from the "
                + "action to the first `GET /api/components` response that shows the change (polled every 10 ms):%n%n",
                deployJar, deployBsn, hotDeploy.isEmpty() ? 0 : hotDeploy.get(0).samplesMs().size()));
        out.append("| operation | median ms | max ms |\n|---|---|---|\n");
        for (Deploy d : hotDeploy) {
            ServerLatencyStats s = d.stats();
            out.append("| ").append(d.operation()).append(" | ").append(ms(s.p50())).append(" | ").append(ms(s.max())).append(" |\n");
        }
        out.append('\n');
        out.append(String.format(Locale.ROOT, "API latency, idle: %d requests from %d clients in %.1f s, %d not 200.%n%n",
                idle.requests(), idle.clients(), idle.wallMs() / 1000, idle.errors()));
        latencyTable(out, idle);
        out.append(String.format(Locale.ROOT, "API latency while a run trains (run %d: %s; %s, %.0f s; model step "
                        + "running from the first to the last request: %s): %d requests from %d clients in %.1f s, %d not 200.%n%n",
                run.runId(), run.description(), run.status(), run.wallSeconds(), run.trainingThroughout() ? "yes" : "no",
                training.requests(), training.clients(), training.wallMs() / 1000, training.errors()));
        latencyTable(out, training);
        memoryTable(out);
        return out.toString();
    }

    private void memoryTable(StringBuilder out) {
        List<MemoryRun> runs = memory.runs();
        out.append(String.format(Locale.ROOT, "Server memory over runs: %d runs of the tiny BadNets pipeline (%s), one after "
                        + "another (the first trains the attacked model, the others take it from the attack cache; runs "
                        + "execute in worker processes). Resident size (VmRSS) of the benchmark's JVM, which runs the server and also the "
                        + "measuring clients (JVM options: %s); before the first run %s MB.%n%n",
                runs.size(), memory.pipeline(), memory.jvmOptions(), mb(memory.rssKbBefore())));
        out.append("| memory run | run id | status | wall s | resident MB after it |\n|---|---|---|---|---|\n");
        for (int i = 0; i < runs.size(); i++) {
            MemoryRun r = runs.get(i);
            out.append(String.format(Locale.ROOT, "| %d | %d | %s | %.0f | %s |%n", i + 1, r.runId(),
                    r.error() == null ? r.status() : r.status() + ": " + r.error().replace('|', '/').replace('\n', ' '),
                    r.wallSeconds(), mb(r.rssKb())));
        }
        double growth = memory.growthPercent();
        out.append('\n').append(Double.isNaN(growth)
                ? "Growth from after run 1 to after run " + runs.size() + ": unknown (no resident size read).\n\n"
                : String.format(Locale.ROOT, "Growth from after run 1 to after run %d: **%+.1f %%** (target: within %.0f %%: %s).%n%n",
                runs.size(), growth, MEMORY_TARGET_PERCENT, memory.withinTarget() ? "yes" : "no"));
    }

    /** Kilobytes as megabytes with one decimal, or "unknown" for 0. */
    static String mb(long kb) {
        return kb <= 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }

    private String settingText() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Object> e : setting.entrySet()) {
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(e.getKey()).append(": ").append(e.getValue());
        }
        return out.toString();
    }

    private String phasesText() {
        if (start.phases().isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(" (server phases:");
        start.phases().forEach((k, v) -> out.append(' ').append(k).append(' ').append(v).append(','));
        out.setLength(out.length() - 1);
        return out.append(')').toString();
    }

    private static void latencyTable(StringBuilder out, Latency latency) {
        out.append("| endpoint | requests | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
        latency.perEndpoint().forEach((endpoint, s) -> row(out, "`GET " + endpoint + "`", s));
        row(out, "all", latency.overall());
        out.append('\n');
    }

    private static void row(StringBuilder out, String name, ServerLatencyStats s) {
        out.append("| ").append(name).append(" | ").append(s.count()).append(" | ").append(ms(s.p50())).append(" | ")
                .append(ms(s.p95())).append(" | ").append(ms(s.p99())).append(" | ").append(ms(s.max())).append(" |\n");
    }

    /** Milliseconds with one decimal. */
    static String ms(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /**
     * The JSON report: {@code {setting, start, hotDeploy{jar, symbolicName, operations[]}, apiIdle, apiTraining, run,
     * memory{pipeline, jvmOptions, rssKbBefore, runs[], growthPercent, targetPercent, withinTarget}}};
     * {@code growthPercent} is null when unknown.
     */
    public ObjectNode json(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        root.set("setting", json.valueToTree(setting));
        root.set("start", json.valueToTree(start));
        ObjectNode deploy = root.putObject("hotDeploy");
        deploy.put("jar", deployJar);
        deploy.put("symbolicName", deployBsn);
        var operations = deploy.putArray("operations");
        for (Deploy d : hotDeploy) {
            ObjectNode o = operations.addObject();
            o.put("operation", d.operation());
            o.set("samplesMs", json.valueToTree(d.samplesMs()));
            o.put("medianMs", d.stats().p50());
            o.put("maxMs", d.stats().max());
        }
        root.set("apiIdle", json.valueToTree(idle));
        root.set("apiTraining", json.valueToTree(training));
        root.set("run", json.valueToTree(run));
        ObjectNode m = root.putObject("memory");
        m.put("pipeline", memory.pipeline());
        m.put("jvmOptions", memory.jvmOptions());
        m.put("rssKbBefore", memory.rssKbBefore());
        m.set("runs", json.valueToTree(memory.runs()));
        double growth = memory.growthPercent();
        if (Double.isNaN(growth)) {
            m.putNull("growthPercent");
        } else {
            m.put("growthPercent", growth);
        }
        m.put("targetPercent", MEMORY_TARGET_PERCENT);
        m.put("withinTarget", memory.withinTarget());
        return root;
    }
}
