package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.PluginKind;
import io.purifier.api.metric.MetricValue;
import io.purifier.client.ApiClient;
import io.purifier.data.ConfiguredDataRoots;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.osgi.FelixHost;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.pipeline.AttackCache;
import io.purifier.server.pipeline.ModelTrainer;
import io.purifier.server.pipeline.PipelineSpec;
import io.purifier.server.pipeline.PipelineValidator;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.run.PipelineRunner;
import io.purifier.server.run.RunEnvironment;
import io.purifier.server.run.RunJob;
import io.purifier.server.run.RunRecorder;
import io.purifier.server.store.ModelStore;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.StepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;

/**
 * The same pipeline and seed, once through the server and a worker process, once with the pipeline runner in this
 * JVM (the in-process path the server used before workers): tiny real data (Fashion-MNIST, 300 training images, a
 * small CNN trained one epoch on BadNets data, NPD for one epoch) must give the same history, metric for metric.
 */
class WorkerEquivalenceIT {

    @TempDir
    Path dir;
    final ObjectMapper json = PurifierServer.objectMapper();

    private ObjectNode pipeline() {
        ObjectNode p = TestHome.tinyBadNetsPipeline(json, 11);
        ObjectNode npd = p.putArray("defenses").addObject().put("id", "npd");
        npd.putObject("params").put("epochs", 1).put("warmupEpochs", 1).put("batchSize", 16);
        npd.putObject("data").put("fraction", 0.2);
        p.putArray("metrics").addObject().put("id", "c-acc");
        p.withArray("metrics").addObject().put("id", "asr");
        p.withArray("metrics").addObject().put("id", "ra");
        return p;
    }

    @Test
    void a_run_in_a_worker_process_equals_the_in_process_run_metric_for_metric() throws Exception {
        Path home = TestHome.create(dir, false, true);
        List<String> inProcess = runInThisJvm(home);

        try (PurifierServer server = PurifierServer.start(TestHome.config(home, Map.of()), true, EngineModelTrainer.create())) {
            JsonNode run = TestHome.runToSuccess(new ApiClient(server.port(), TestHome.adminToken(home)), pipeline(), 300_000);
            List<String> inWorker = new ArrayList<>();
            for (JsonNode m : run.get("metrics")) {
                inWorker.add(m.get("stepIndex").asInt() + " " + m.get("metricId").asText() + " " + m.get("name").asText()
                        + " = " + m.get("value").asDouble());
            }
            assertEquals(inProcess, inWorker);
            assertEquals(4, run.get("steps").size());
        }
    }

    /** The pipeline through {@link PipelineRunner} in this JVM, with its own framework, cache and run directory. */
    private List<String> runInThisJvm(Path home) throws Exception {
        FelixHost felix = FelixHost.start(home.resolve("bundles"), dir.resolve("in-process/deploy"), dir.resolve("in-process/felix"),
                60_000, Map.of());
        PluginRegistry registry = new PluginRegistry(felix.context());
        try {
            TestBundles.await("the built-in plugins", 20_000, () -> registry.ids(PluginKind.DEFENSE).contains("npd")
                    && registry.ids(PluginKind.DATASET).contains("fashion-mnist") && registry.ids(PluginKind.METRIC).contains("ra"));
            ModelTrainer trainer = EngineModelTrainer.create();
            ValidatedPipeline p = new PipelineValidator(registry, trainer, mock(ModelStore.class), Duration.ofMinutes(10))
                    .validate(json.treeToValue(pipeline(), PipelineSpec.class));
            RunEnvironment env = new RunEnvironment(registry, trainer, new AttackCache(dir.resolve("in-process/cache"), json),
                    id -> Optional.empty(), new ConfiguredDataRoots(List.of(Path.of("/usr/share/datasets"))),
                    dir.resolve("in-process/runs"), json, "in-process", null);
            MetricLines metrics = new MetricLines();
            assertEquals(RunStatus.SUCCEEDED, new PipelineRunner(env).run(new RunJob(1, p, "test"), metrics), metrics.error);
            return sortedLikeTheHistory(metrics.lines);
        } finally {
            registry.close();
            felix.close();
        }
    }

    /** The history lists metrics by step, metric id and the metric's own order: the same order, stable. */
    private static List<String> sortedLikeTheHistory(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        out.sort(java.util.Comparator.comparing((String l) -> Integer.parseInt(l.split(" ")[0])).thenComparing(l -> l.split(" ")[1]));
        return out;
    }

    /** Keeps the metric values the runner reports, as "step metric name = value" lines. */
    private static final class MetricLines implements RunRecorder {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        volatile String error;

        @Override
        public void metrics(int step, String metricId, List<MetricValue> values) {
            values.forEach(v -> lines.add(step + " " + metricId + " " + v.name() + " = " + v.value()));
        }

        @Override
        public void runFinished(RunStatus status, String error) {
            this.error = error;
        }

        @Override
        public void runStarted(JsonNode provenance) {
        }

        @Override
        public void provenance(JsonNode provenance) {
        }

        @Override
        public void runProgress(double progress, int step, String message) {
        }

        @Override
        public void stepStarted(int step, JsonNode params, BundleIdentity bundle) {
        }

        @Override
        public void stepProgress(int step, double fraction, String message) {
        }

        @Override
        public void stepFinished(int step, StepStatus status, String error, JsonNode summary) {
        }

        @Override
        public void log(Integer step, String level, String message) {
        }

        @Override
        public void curvePoint(int step, String series, double x, double y) {
        }

        @Override
        public void artifact(int step, String name, Path file) {
        }

        @Override
        public void cacheEntry(int step, String key, String description) {
        }
    }
}
