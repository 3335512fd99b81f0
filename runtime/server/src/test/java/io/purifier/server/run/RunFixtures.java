package io.purifier.server.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.purifier.api.Plugin;
import io.purifier.api.PluginKind;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.data.Normalization;
import io.purifier.api.metric.MetricValue;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelInfo;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.osgi.ComponentInfo;
import io.purifier.server.osgi.PluginLookup;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.StepStatus;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small fakes for the run path's unit tests: tiny image sets, a model that reads its answer off a pixel, plugins. */
final class RunFixtures {

    static final List<String> CLASSES = List.of("a", "b", "c");

    private RunFixtures() {
    }

    /** {@code n} 1x2x2 images labelled round-robin over three classes; pixel (0, 0) is label / 10. */
    static ImageSet images(int n) {
        int[] labels = new int[n];
        INDArray pixels = Nd4j.zeros(n, 1, 2, 2);
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES.size();
            pixels.putScalar(new int[]{i, 0, 0, 0}, labels[i] / 10.0);
        }
        return new ImageSet(pixels, labels, CLASSES);
    }

    /** A dataset of {@code train} and {@code test} such images. */
    static DatasetSplits splits(int train, int test) {
        return new DatasetSplits("tiny", "hash-of-tiny", images(train), images(test), Normalization.identity(1), Augmentation.none());
    }

    /** A bundle identity for a plugin bundle. */
    static BundleIdentity bundle(String bsn) {
        return new BundleIdentity(bsn, "1.0.0", 7, "ab".repeat(32));
    }

    /** A pipeline with the given parts, seed 42 and a one-minute step limit. */
    static ValidatedPipeline pipeline(ValidatedPipeline.Resolved dataset, ValidatedPipeline.ModelPlan model,
                                      ValidatedPipeline.Resolved attack, List<ValidatedPipeline.DefensePlan> defenses,
                                      List<ValidatedPipeline.Resolved> metrics) {
        return new ValidatedPipeline("tiny pipeline", 42, dataset, model, attack, defenses, metrics, Duration.ofMinutes(1));
    }

    /** A plugin id with default (empty) parameters. */
    static ValidatedPipeline.Resolved resolved(String id) {
        return new ValidatedPipeline.Resolved(id, ParamDescriptor.none().defaults());
    }

    /** A model of 1x2x2 images and three classes that predicts round(pixel(0, 0) * 10) + {@code shift} (mod 3). */
    static final class PixelModel implements Model {
        private final int shift;

        PixelModel(int shift) {
            this.shift = shift;
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("pixel", 1, 2, 2, CLASSES, Normalization.identity(1), List.of(), Map.of());
        }

        @Override
        public INDArray logits(INDArray images) {
            int n = (int) images.size(0);
            INDArray out = Nd4j.zeros(n, CLASSES.size());
            for (int i = 0; i < n; i++) {
                int predicted = ((int) Math.round(images.getDouble(i, 0, 0, 0) * 10) + shift) % CLASSES.size();
                out.putScalar(i, predicted, 1.0);
            }
            return out;
        }
    }

    /** Plugins registered by hand. */
    static final class FakePlugins implements PluginLookup {
        private final Map<String, PluginRegistry.Found<? extends Plugin>> found = new LinkedHashMap<>();
        private final Map<PluginKind, List<ComponentInfo>> infos = new LinkedHashMap<>();

        FakePlugins add(PluginKind kind, String id, Plugin plugin) {
            found.put(kind + ":" + id, new PluginRegistry.Found<>(plugin, bundle("io.test." + id)));
            return this;
        }

        FakePlugins info(PluginKind kind, ComponentInfo info) {
            infos.computeIfAbsent(kind, k -> new ArrayList<>()).add(info);
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends Plugin> Optional<PluginRegistry.Found<T>> find(PluginKind kind, String id, Class<T> type) {
            return Optional.ofNullable((PluginRegistry.Found<T>) found.get(kind + ":" + id));
        }

        @Override
        public List<ComponentInfo> list(PluginKind kind) {
            return infos.getOrDefault(kind, List.of());
        }
    }

    /** A recorder that keeps every call as a line of text, plus the metrics, artifacts and the final status. */
    static final class RecordingRecorder implements RunRecorder {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Double> metrics = Collections.synchronizedMap(new LinkedHashMap<>());
        final Map<String, Path> artifacts = Collections.synchronizedMap(new LinkedHashMap<>());
        final List<String> logs = Collections.synchronizedList(new ArrayList<>());
        volatile RunStatus status;
        volatile String error;
        volatile JsonNode provenance;

        @Override
        public void runStarted(JsonNode provenance) {
            calls.add("runStarted");
            this.provenance = provenance;
        }

        @Override
        public void provenance(JsonNode provenance) {
            this.provenance = provenance;
        }

        @Override
        public void runProgress(double progress, int step, String message) {
        }

        @Override
        public void stepStarted(int step, JsonNode params, BundleIdentity bundle) {
            calls.add("stepStarted " + step + (bundle == null ? "" : " " + bundle.symbolicName()));
        }

        @Override
        public void stepProgress(int step, double fraction, String message) {
        }

        @Override
        public void stepFinished(int step, StepStatus status, String error, JsonNode summary) {
            calls.add("stepFinished " + step + " " + status + (error == null ? "" : " " + error));
        }

        @Override
        public void log(Integer step, String level, String message) {
            logs.add(level + " " + message);
        }

        @Override
        public void curvePoint(int step, String series, double x, double y) {
            calls.add("curve " + step + " " + series);
        }

        @Override
        public void metrics(int step, String metricId, List<MetricValue> values) {
            values.forEach(v -> metrics.put(step + ":" + v.name(), v.value()));
        }

        @Override
        public void artifact(int step, String name, Path file) {
            artifacts.put(step + ":" + name, file);
        }

        @Override
        public void cacheEntry(int step, String key, String description) {
            calls.add("cacheEntry " + step + " " + description);
        }

        @Override
        public void runFinished(RunStatus status, String error) {
            calls.add("runFinished " + status);
            this.status = status;
            this.error = error;
        }
    }
}
