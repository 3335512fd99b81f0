package io.purifier.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.InvalidInputException;
import io.purifier.api.Plugin;
import io.purifier.api.PluginKind;
import io.purifier.api.attack.Attack;
import io.purifier.api.attack.PoisonedData;
import io.purifier.api.attack.PreviewImage;
import io.purifier.api.data.DataRoots;
import io.purifier.api.data.DatasetProvider;
import io.purifier.api.data.DatasetSplits;
import io.purifier.api.data.ImageSet;
import io.purifier.api.defense.DataContract;
import io.purifier.api.defense.Defense;
import io.purifier.api.defense.DefenseData;
import io.purifier.api.defense.DefenseResult;
import io.purifier.api.metric.Evaluation;
import io.purifier.api.metric.Metric;
import io.purifier.api.metric.MetricInput;
import io.purifier.api.metric.MetricValue;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelFormat;
import io.purifier.api.model.ModelInfo;
import io.purifier.api.param.ResolvedParams;
import io.purifier.api.run.ReportingProbe;
import io.purifier.data.ImageResize;
import io.purifier.data.Subsets;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.pipeline.ValidatedPipeline.DefensePlan;
import io.purifier.server.pipeline.ValidatedPipeline.Resolved;
import io.purifier.server.store.ModelStore;
import io.purifier.server.store.RunStatus;
import io.purifier.server.store.RunStore;
import io.purifier.server.store.StepStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Executes one run: dataset → attack → model → defenses, evaluating every model with the pipeline's metrics and
 * recording everything in the history. Each step's plugin code runs under {@link StepExecutor}, so a failing,
 * hanging or NaN-producing plugin fails its step (and the run) but never the server.
 */
final class PipelineRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    private final PluginRegistry registry;
    private final RunStore store;
    private final ModelStore models;
    private final ModelTrainer trainer;
    private final AttackCache cache;
    private final RunEvents events;
    private final DataRoots dataRoots;
    private final Path dataDir;
    private final ObjectMapper json;
    private final String serverVersion;

    PipelineRunner(PluginRegistry registry, RunStore store, ModelStore models, ModelTrainer trainer, AttackCache cache,
                   RunEvents events, DataRoots dataRoots, Path dataDir, ObjectMapper json, String serverVersion) {
        this.registry = registry;
        this.store = store;
        this.models = models;
        this.trainer = trainer;
        this.cache = cache;
        this.events = events;
        this.dataRoots = dataRoots;
        this.dataDir = dataDir;
        this.json = json;
        this.serverVersion = serverVersion;
    }

    /** The mutable state of one execution. */
    private final class Execution {
        final RunJob job;
        final ValidatedPipeline p;
        final Provenance provenance;
        final double[] weights;
        int step;
        double doneWeight;
        DatasetSplits data;
        ImageSet cleanTrain;
        ImageSet heldOut;
        PoisonedData poisoned;
        Model model;
        Evaluation baseline;

        Execution(RunJob job) {
            this.job = job;
            this.p = job.pipeline();
            this.provenance = new Provenance(json, p.seed(), job.user(), serverVersion,
                    trainer == null ? null : trainer.version());
            this.weights = StepPlans.weights(p);
        }

        long runId() {
            return job.runId();
        }

        void runProgress(double stepFraction) {
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            double progress = (doneWeight + weights[step] * stepFraction) / total;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("status", RunStatus.RUNNING.name());
            data.put("progress", progress);
            data.put("step", step);
            events.publish(new RunEvents.Event("run", runId(), data));
            store.progress(runId(), progress, "step " + (step + 1) + "/" + weights.length);
        }
    }

    /** Runs {@code job} to its end, recording the outcome; never throws. */
    void run(RunJob job) {
        Execution x = new Execution(job);
        store.started(job.runId(), x.provenance.root());
        publishRun(job.runId(), RunStatus.RUNNING, null);
        store.log(job.runId(), null, "INFO", "run started by " + job.user() + ": " + job.pipeline().name());
        RunStatus outcome = RunStatus.SUCCEEDED;
        String error = null;
        try {
            datasetStep(x);
            if (x.p.attack() != null) {
                attackStep(x);
            }
            modelStep(x);
            for (DefensePlan defense : x.p.defenses()) {
                defenseStep(x, defense);
            }
        } catch (StepFailure f) {
            outcome = f.status() != StepStatus.CANCELLED ? RunStatus.FAILED
                    : RunJob.SHUTDOWN.equals(job.cancelReason()) ? RunStatus.INTERRUPTED : RunStatus.CANCELLED;
            error = "step " + (x.step + 1) + " (" + StepPlans.of(x.p).get(x.step).title() + "): " + f.getMessage();
        } catch (RuntimeException | Error e) {
            LOG.error("run {} failed in the host", job.runId(), e);
            outcome = RunStatus.FAILED;
            error = "internal error: " + StepExecutor.describe(e);
        }
        store.provenance(job.runId(), x.provenance.root());
        store.finished(job.runId(), outcome, error);
        store.log(job.runId(), null, outcome == RunStatus.SUCCEEDED ? "INFO" : "WARN",
                "run " + outcome.name().toLowerCase() + (error == null ? "" : ": " + error));
        publishRun(job.runId(), outcome, error);
    }

    private void datasetStep(Execution x) throws StepFailure {
        Resolved ds = x.p.dataset();
        x.data = step(x, StepPlans.DATASET, PluginKind.DATASET, ds.id(), DatasetProvider.class, ds.params(), (provider, ctx) -> {
            DatasetSplits splits = provider.load(ds.params(), ctx);
            if (splits == null) {
                throw new IllegalStateException("dataset provider returned no data");
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("datasetId", splits.datasetId());
            summary.put("contentHash", splits.contentHash());
            summary.put("trainSize", splits.train().size());
            summary.put("testSize", splits.test().size());
            summary.put("shape", shape(splits.train()));
            summary.put("classes", splits.train().numClasses());
            return new StepOutput<>(splits, summary);
        });
        x.provenance.dataset(x.data.datasetId(), x.data.contentHash(), x.data.train().size(), x.data.test().size(), shape(x.data.train()));
        x.cleanTrain = x.data.train();
        double heldOut = x.p.heldOutFraction();
        if (heldOut > 0) {
            Subsets.Split split = Subsets.split(x.data.train(), heldOut, StepContext.stepSeed(x.p.seed(), 0));
            x.cleanTrain = split.kept();
            x.heldOut = split.heldOut();
            store.log(x.runId(), 0, "INFO", "held out " + x.heldOut.size() + " training images (" + pct(heldOut)
                    + ") as unlabeled data for defenses; the model trains on the other " + x.cleanTrain.size());
        }
        x.step++;
    }

    private void attackStep(Execution x) throws StepFailure {
        Resolved attack = x.p.attack();
        DatasetSplits input = new DatasetSplits(x.data.datasetId(), x.data.contentHash(), x.cleanTrain, x.data.test(),
                x.data.normalization(), x.data.augmentation());
        x.poisoned = step(x, StepPlans.ATTACK, PluginKind.ATTACK, attack.id(), Attack.class, attack.params(), (plugin, ctx) -> {
            PoisonedData poisoned = plugin.poison(input, attack.params(), ctx);
            if (poisoned == null) {
                throw new IllegalStateException("attack returned no data");
            }
            int i = 0;
            for (PreviewImage preview : poisoned.previews()) {
                String name = String.format("trigger-%d-%s.png", i++, preview.caption().replaceAll("[^A-Za-z0-9]+", "-"));
                PreviewImages.writePng(preview.image(), ctx.artifactDir().resolve(name), Math.max(1, 112 / (int) preview.image().size(1)));
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("poisonedTrainingImages", poisoned.poisonIndices().length);
            summary.put("trainingControlled", poisoned.trainingHook() != null);
            summary.put("poisonedTestImages", poisoned.poisonedTest().size());
            return new StepOutput<>(poisoned, summary);
        });
        x.step++;
    }

    private void modelStep(Execution x) throws StepFailure {
        ValidatedPipeline.ModelPlan plan = x.p.model();
        if (plan.trains()) {
            x.model = step(x, StepPlans.MODEL, null, plan.architecture().id(), null, plan.architecture().params(), (unused, ctx) -> {
                Map<String, Object> summary = new LinkedHashMap<>();
                Model trained = trainOrReuse(x, ctx, summary);
                checkShape(trained, x.data);
                x.baseline = evaluate(x, trained, null, ctx);
                return new StepOutput<>(trained, summary);
            });
        } else {
            ModelStore.StoredModel stored = models.find(plan.modelId())
                    .orElseThrow(() -> new StepFailure(StepStatus.FAILED, "stored model " + plan.modelId() + " no longer exists", null));
            ResolvedParams formatParams;
            PluginRegistry.Found<ModelFormat> format = registry.find(PluginKind.MODEL_FORMAT, stored.formatId(), ModelFormat.class)
                    .orElseThrow(() -> new StepFailure(StepStatus.FAILED, "model format '" + stored.formatId()
                            + "' of model " + stored.id() + " is no longer installed", null));
            try {
                formatParams = format.plugin().parameters().resolve(json.convertValue(stored.params(), Map.class));
            } catch (InvalidInputException e) {
                throw new StepFailure(StepStatus.FAILED, "stored format parameters no longer fit format '" + stored.formatId() + "': " + e.getMessage(), e);
            }
            x.model = step(x, StepPlans.MODEL, PluginKind.MODEL_FORMAT, stored.formatId(), ModelFormat.class, formatParams, (fmt, ctx) -> {
                Model loaded = fmt.load(models.file(stored), formatParams);
                checkShape(loaded, x.data);
                x.baseline = evaluate(x, loaded, null, ctx);
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("modelId", stored.id());
                summary.put("modelSha256", stored.sha256());
                return new StepOutput<>(loaded, summary);
            });
        }
        x.step++;
    }

    private Model trainOrReuse(Execution x, StepContext ctx, Map<String, Object> summary) throws Exception {
        ValidatedPipeline.ModelPlan plan = x.p.model();
        ObjectNode keyParts = json.createObjectNode();
        if (x.p.attack() != null) {
            ObjectNode a = keyParts.putObject("attack");
            a.put("id", x.p.attack().id());
            a.set("params", json.valueToTree(x.p.attack().params().asMap()));
            registry.find(PluginKind.ATTACK, x.p.attack().id(), Plugin.class)
                    .ifPresent(f -> a.put("bundleVersion", f.bundle().symbolicName() + "@" + releaseVersion(f.bundle().version())));
        }
        keyParts.put("datasetHash", x.data.contentHash());
        keyParts.put("heldOutFraction", x.p.heldOutFraction());
        keyParts.put("architecture", plan.architecture().id());
        keyParts.set("architectureParams", json.valueToTree(plan.architecture().params().asMap()));
        keyParts.set("training", json.valueToTree(plan.training().asMap()));
        keyParts.put("seed", ctx.seed());
        keyParts.put("trainer", trainer.version());
        String key = cache.key(keyParts);
        summary.put("cacheKey", key);
        Optional<Model> cached = Optional.empty();
        try {
            cached = cache.lookup(key, trainer);
        } catch (Exception e) {
            ctx.warn("cached model " + key + " is unreadable (" + e.getMessage() + "); training again");
        }
        if (cached.isPresent()) {
            ctx.log("reused the cached model " + key.substring(0, 12) + "… (same attack, parameters, dataset, recipe and seed); no training");
            checkCachedPoisonIndices(x, key, ctx);
            summary.put("cacheHit", true);
            ctx.progress(1, "reused cached model");
            return cached.get();
        }
        summary.put("cacheHit", false);
        ImageSet train = x.poisoned != null ? x.poisoned.train() : x.cleanTrain;
        Model trained = trainer.train(plan.architecture().id(), plan.architecture().params(), plan.training(), x.data, train,
                x.poisoned == null ? null : x.poisoned.trainingHook(), ctx);
        String description = (x.p.attack() == null ? "clean" : x.p.attack().id()) + " on " + x.data.datasetId()
                + " / " + plan.architecture().id();
        try {
            cache.store(key, keyParts, description, x.runId(), trained, trainer, attackRecord(x, ctx));
            ctx.log("stored the trained model in the attack cache as " + key.substring(0, 12) + "…");
        } catch (Exception e) {
            ctx.warn("could not store the trained model in the cache: " + e.getMessage());
        }
        return trained;
    }

    /** The files stored with a cached model: the poison indices and the attack step's trigger pictures. */
    private Map<String, Path> attackRecord(Execution x, StepContext ctx) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        if (x.poisoned == null) {
            return files;
        }
        Path indices = ctx.artifactDir().resolve("poison-indices.json");
        json.writeValue(indices.toFile(), x.poisoned.poisonIndices());
        files.put("poison-indices.json", indices);
        Path attackDir = dataDir.resolve("runs").resolve(Long.toString(x.runId())).resolve("step-1-" + StepPlans.ATTACK);
        if (Files.isDirectory(attackDir)) {
            try (Stream<Path> pictures = Files.list(attackDir)) {
                pictures.filter(f -> f.getFileName().toString().endsWith(".png")).forEach(f -> files.put(f.getFileName().toString(), f));
            }
        }
        return files;
    }

    /** Warns when the attack, re-run for this pipeline, poisoned other images than when the cached model was trained. */
    private void checkCachedPoisonIndices(Execution x, String key, StepContext ctx) throws IOException {
        if (x.poisoned == null) {
            return;
        }
        Optional<Path> stored = cache.file(key, "poison-indices.json");
        if (stored.isEmpty()) {
            return;
        }
        int[] cachedIndices = json.readValue(stored.get().toFile(), int[].class);
        if (!java.util.Arrays.equals(cachedIndices, x.poisoned.poisonIndices())) {
            ctx.warn("the attack poisoned different images than when the cached model was trained: the attack is not "
                    + "deterministic for its seed; the reported ASR may not match the cached model");
        } else {
            ctx.log("the attack's poison indices match the cached model's (" + cachedIndices.length + " images)");
        }
    }

    private void defenseStep(Execution x, DefensePlan plan) throws StepFailure {
        Resolved d = plan.defense();
        Model input = x.model;
        x.model = step(x, StepPlans.DEFENSE, PluginKind.DEFENSE, d.id(), Defense.class, d.params(), (defense, ctx) -> {
            DataContract contract = defense.dataContract();
            if (contract.kind() != plan.contract().kind()) {
                throw new IllegalStateException("defense " + d.id() + " changed its data contract since the pipeline was validated");
            }
            DefenseData data = defenseData(x, plan, ctx);
            ctx.log("defense data: " + data.description());
            DefenseResult result = defense.purify(input, data, d.params(), ctx);
            if (result == null) {
                throw new IllegalStateException("defense returned no result");
            }
            checkShape(result.purified(), x.data);
            evaluate(x, result.purified(), x.baseline, ctx);
            saveModel(result.purified(), ctx, plan.outputFormats());
            return new StepOutput<>(result.purified(), result.summary());
        });
        x.step++;
    }

    private DefenseData defenseData(Execution x, DefensePlan plan, StepContext ctx) throws Exception {
        double f = plan.fraction();
        switch (plan.contract().kind()) {
            case NONE:
                return new DefenseData(null, null, "none");
            case LABELED_CLEAN: {
                ImageSet subset = Subsets.balancedByFraction(x.cleanTrain, f, ctx.seed());
                return new DefenseData(subset, null, subset.size() + " clean labeled training images (" + pct(f)
                        + ", class-balanced, seed " + ctx.seed() + ")");
            }
            case UNLABELED: {
                if (plan.oodDataset() == null) {
                    return new DefenseData(null, x.heldOut.withoutLabels(), x.heldOut.size()
                            + " unlabeled held-out training images (" + pct(f) + ", never used for training)");
                }
                Resolved ood = plan.oodDataset();
                DatasetProvider provider = registry.find(PluginKind.DATASET, ood.id(), DatasetProvider.class)
                        .orElseThrow(() -> new InvalidInputException("dataset '" + ood.id() + "' for unlabeled data is no longer installed"))
                        .plugin();
                DatasetSplits other = provider.load(ood.params(), ctx);
                int count = Math.max(1, Math.min(balancedCapacity(other.train()), (int) Math.round(f * x.data.train().size())));
                ImageSet picked = Subsets.balancedByCount(other.train(), count, ctx.seed());
                ModelInfo info = x.model.info();
                ImageSet fitted = ImageResize.fit(picked, info.channels(), info.height(), info.width());
                return new DefenseData(null, fitted.withoutLabels(), fitted.size() + " unlabeled images from "
                        + other.datasetId() + " (out of distribution), resized to " + info.inputShape());
            }
            default:
                throw new IllegalStateException("unknown data contract " + plan.contract().kind());
        }
    }

    /** The largest class-balanced subset of {@code set}: the number of classes times its smallest class. */
    static int balancedCapacity(ImageSet set) {
        int[] counts = new int[set.numClasses()];
        for (int label : set.labels()) {
            counts[label]++;
        }
        int smallest = java.util.Arrays.stream(counts).min().orElse(0);
        return smallest * counts.length;
    }

    private Evaluation evaluate(Execution x, Model model, Evaluation baseline, StepContext ctx) {
        ctx.log("evaluating on " + x.data.test().size() + " clean test images"
                + (x.poisoned == null ? "" : " and " + x.poisoned.poisonedTest().size() + " poisoned test images"));
        Evaluation evaluation = Evaluator.evaluate(model, x.data.test(), x.poisoned, x.data.test().numClasses());
        for (Resolved m : x.p.metrics()) {
            Metric metric = registry.find(PluginKind.METRIC, m.id(), Metric.class)
                    .orElseThrow(() -> new InvalidInputException("metric '" + m.id() + "' is no longer installed"))
                    .plugin();
            List<MetricValue> values = metric.evaluate(new MetricInput(evaluation, baseline), m.params());
            for (MetricValue v : values) {
                if (!Double.isFinite(v.value())) {
                    throw new IllegalStateException("metric " + m.id() + " produced a non-finite value for " + v.name() + ": " + v.value());
                }
            }
            store.metrics(x.runId(), x.step, m.id(), values);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("step", x.step);
            data.put("metric", m.id());
            data.put("values", values);
            events.publish(new RunEvents.Event("metric", x.runId(), data));
        }
        return evaluation;
    }

    private void saveModel(Model model, StepContext ctx, List<String> requested) {
        if (!requested.isEmpty()) {
            for (String id : requested) {
                Optional<PluginRegistry.Found<ModelFormat>> format = registry.find(PluginKind.MODEL_FORMAT, id, ModelFormat.class);
                if (format.isEmpty() || !trySave(model, ctx, id, format.get().plugin())) {
                    ctx.warn("the purified model could not be saved in format " + id
                            + (format.isEmpty() ? " (no longer installed)" : ""));
                }
            }
            return;
        }
        List<io.purifier.server.osgi.ComponentInfo> formats = registry.list(PluginKind.MODEL_FORMAT).stream()
                .filter(io.purifier.server.osgi.ComponentInfo::canSave)
                .sorted((a, b) -> Boolean.compare(!"native".equals(a.id()), !"native".equals(b.id())))
                .toList();
        for (io.purifier.server.osgi.ComponentInfo info : formats) {
            Optional<PluginRegistry.Found<ModelFormat>> format = registry.find(PluginKind.MODEL_FORMAT, info.id(), ModelFormat.class);
            if (format.isPresent() && trySave(model, ctx, info.id(), format.get().plugin())) {
                return;
            }
        }
        ctx.warn("no installed model format could save the purified model; it is not downloadable");
    }

    /** Saves {@code model} as {@code purified-model.<first extension>}; false (logged, no file left) when it fails. */
    private static boolean trySave(Model model, StepContext ctx, String id, ModelFormat format) {
        String ext = format.fileExtensions().isEmpty() ? "model" : format.fileExtensions().get(0);
        Path file = ctx.artifactDir().resolve("purified-model." + ext);
        try {
            format.save(model, file);
            ctx.log("saved the purified model as " + file.getFileName() + " (format " + id + ")");
            return true;
        } catch (Exception | LinkageError e) {
            ctx.log("format " + id + " cannot save this model: " + e.getMessage());
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort clean-up of a partial file
            }
            return false;
        }
    }

    /** A step body's value plus facts for the step summary. */
    private record StepOutput<T>(T value, Map<String, Object> summary) {
    }

    /** The body of a step, run on the step thread. */
    @FunctionalInterface
    private interface StepBody<P, T> {
        StepOutput<T> run(P plugin, StepContext ctx) throws Exception;
    }

    /**
     * Runs one step: looks the plugin up (fresh, per step), records start and provenance, runs the body under the
     * step executor, records artifacts and the outcome.
     */
    private <P extends Plugin, T> T step(Execution x, String kind, PluginKind pluginKind, String id, Class<P> type,
                                         ResolvedParams params, StepBody<P, T> body) throws StepFailure {
        int index = x.step;
        P plugin = null;
        BundleIdentity bundle = null;
        if (pluginKind != null) {
            PluginRegistry.Found<P> found = registry.find(pluginKind, id, type).orElse(null);
            if (found == null) {
                StepFailure f = new StepFailure(StepStatus.FAILED, pluginKind.jsonName() + " '" + id
                        + "' is no longer installed (its bundle was removed after the run was queued)", null);
                store.stepFinished(x.runId(), index, StepStatus.FAILED, f.getMessage(), null);
                publishStep(x.runId(), index, StepStatus.FAILED, f.getMessage());
                throw f;
            }
            plugin = found.plugin();
            bundle = found.bundle();
        }
        Path artifactDir = dataDir.resolve("runs").resolve(Long.toString(x.runId())).resolve("step-" + index + "-" + kind);
        ReportingProbe probe = StepPlans.DEFENSE.equals(kind) ? reportingProbe(x) : null;
        StepContext ctx = new StepContext(x.runId(), index, x.p.seed(), artifactDir, store, events, dataRoots, probe, x::runProgress);
        ObjectNode prov = x.provenance.step(index, kind, id, ctx.seed(), bundle);
        prov.set("params", json.valueToTree(params.asMap()));
        store.stepStarted(x.runId(), index, json.valueToTree(params.asMap()), bundle == null ? null : bundle.symbolicName(),
                bundle == null ? null : bundle.version(), bundle == null ? null : bundle.sha256());
        publishStep(x.runId(), index, StepStatus.RUNNING, null);
        x.job.enter(ctx);
        P target = plugin;
        try {
            StepOutput<T> out = StepExecutor.run(() -> body.run(target, ctx), ctx, x.p.stepTimeout());
            recordArtifacts(x.runId(), index, artifactDir);
            JsonNode summary = json.valueToTree(out.summary());
            prov.set("summary", summary);
            store.stepFinished(x.runId(), index, StepStatus.SUCCEEDED, null, summary);
            publishStep(x.runId(), index, StepStatus.SUCCEEDED, null);
            x.doneWeight += x.weights[index];
            return out.value();
        } catch (StepFailure f) {
            recordArtifacts(x.runId(), index, artifactDir);
            if (f.getCause() != null && f.status() == StepStatus.FAILED) {
                store.log(x.runId(), index, "ERROR", StepExecutor.stackTrace(f.getCause()));
            }
            store.log(x.runId(), index, f.status() == StepStatus.CANCELLED ? "WARN" : "ERROR", "step " + f.status().name().toLowerCase() + ": " + f.getMessage());
            store.stepFinished(x.runId(), index, f.status(), f.getMessage(), null);
            publishStep(x.runId(), index, f.status(), f.getMessage());
            throw f;
        } finally {
            x.job.leave();
        }
    }

    /** The reporting probe evaluates at most this many clean and this many poisoned test images (the first ones). */
    static final int PROBE_IMAGES = 2_000;

    private ReportingProbe reportingProbe(Execution x) {
        ImageSet clean = head(x.data.test(), PROBE_IMAGES);
        PoisonedData poisoned = x.poisoned == null ? null : probeSubset(x.poisoned, PROBE_IMAGES);
        return model -> {
            Evaluation e = Evaluator.evaluate(model, clean, poisoned, x.data.test().numClasses());
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("C-ACC", fraction(e.cleanLabels(), e.cleanPredictions()));
            if (e.hasPoisoned()) {
                out.put("ASR", fraction(e.poisonedTargets(), e.poisonedPredictions()));
                out.put("RA", fraction(e.poisonedLabels(), e.poisonedPredictions()));
            }
            return out;
        };
    }

    private static ImageSet head(ImageSet set, int max) {
        if (set.size() <= max) {
            return set;
        }
        int[] first = new int[max];
        for (int i = 0; i < max; i++) {
            first[i] = i;
        }
        return set.subset(first);
    }

    private static PoisonedData probeSubset(PoisonedData p, int max) {
        if (p.poisonedTest().size() <= max) {
            return p;
        }
        return new PoisonedData(p.train(), p.poisonIndices(), head(p.poisonedTest(), max),
                java.util.Arrays.copyOf(p.testTargets(), max), p.trainingHook(), p.previews());
    }

    private static double fraction(int[] expected, int[] predicted) {
        if (expected.length == 0) {
            return 0;
        }
        int hits = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == predicted[i]) {
                hits++;
            }
        }
        return (double) hits / expected.length;
    }

    private void recordArtifacts(long runId, int step, Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                store.artifact(runId, step, dir.relativize(f).toString(), dataDir.relativize(f).toString(), Files.size(f),
                        BundleIdentity.sha256(f));
            }
        } catch (IOException | RuntimeException e) {
            store.log(runId, step, "WARN", "could not record artifacts: " + e.getMessage());
        }
    }

    private static void checkShape(Model model, DatasetSplits data) {
        if (model == null) {
            throw new IllegalStateException("no model was produced");
        }
        ModelInfo info = model.info();
        ImageSet test = data.test();
        if (info.channels() != test.channels() || info.height() != test.height() || info.width() != test.width()) {
            throw new InvalidInputException("the model expects " + info.inputShape() + " images but dataset "
                    + data.datasetId() + " has " + shape(test));
        }
        if (info.numClasses() != test.numClasses()) {
            throw new InvalidInputException("the model has " + info.numClasses() + " classes but dataset "
                    + data.datasetId() + " has " + test.numClasses());
        }
    }

    private void publishRun(long runId, RunStatus status, String error) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", status.name());
        if (status == RunStatus.SUCCEEDED) {
            data.put("progress", 1.0);
        }
        if (error != null) {
            data.put("error", error);
        }
        events.publish(new RunEvents.Event("run", runId, data));
    }

    private void publishStep(long runId, int step, StepStatus status, String error) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", step);
        data.put("status", status.name());
        if (error != null) {
            data.put("error", error);
        }
        events.publish(new RunEvents.Event("step", runId, data));
    }

    private static String shape(ImageSet set) {
        return set.channels() + "x" + set.height() + "x" + set.width();
    }

    /**
     * The bundle version for cache keys: a bnd build-time qualifier (12+ digits, e.g. {@code 0.1.0.202611212335})
     * is dropped, so rebuilding unchanged snapshot code keeps its cached models; released versions count fully.
     */
    static String releaseVersion(String version) {
        return version.replaceFirst("\\.\\d{12,}$", "");
    }

    private static String pct(double f) {
        return String.format("%.3g%%", f * 100);
    }
}
