package io.purifier.server.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.model.Model;
import io.purifier.server.pipeline.AttackCache;
import io.purifier.server.pipeline.CheckpointPlan;
import io.purifier.server.pipeline.ModelTrainer;
import io.purifier.server.pipeline.StepPlans;
import io.purifier.server.pipeline.ValidatedPipeline.ModelPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Trains the pipeline's zoo model, or reuses the model an earlier run trained with the same key from the
 * attack-once cache. A newly trained model is stored in the cache with the attack's record (poison indices,
 * trigger pictures) and reported to the recorder; a cache that cannot be read or written is a warning, never a
 * failure. A training saves checkpoints under its key while it runs (when an interval is configured), so that a run
 * stopped during it resumes from the last one; the checkpoint is deleted once the model is stored.
 */
final class TrainedModels {

    static final String POISON_INDICES = "poison-indices.json";

    private final AttackCacheKeys keys;
    private final AttackCache cache;
    private final ModelTrainer trainer;
    private final RunRecorder recorder;
    private final Path runDir;
    private final ObjectMapper json;
    private final Duration checkpointInterval;

    /**
     * @param checkpointInterval least time between two training checkpoints, or null to keep none
     */
    TrainedModels(AttackCacheKeys keys, AttackCache cache, ModelTrainer trainer, RunRecorder recorder, Path runDir,
                  ObjectMapper json, Duration checkpointInterval) {
        this.keys = keys;
        this.cache = cache;
        this.trainer = trainer;
        this.recorder = recorder;
        this.runDir = runDir;
        this.json = json;
        this.checkpointInterval = checkpointInterval;
    }

    /** The trained (or reused) model; {@code summary} gets the cache key and whether it was a cache hit. */
    Model trainOrReuse(RunState s, StepContext ctx, Map<String, Object> summary) throws Exception {
        ObjectNode keyParts = keys.parts(s, ctx.seed());
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
            checkCachedPoisonIndices(s, key, ctx);
            summary.put("cacheHit", true);
            ctx.progress(1, "reused cached model");
            return cached.get();
        }
        summary.put("cacheHit", false);
        ModelPlan plan = s.pipeline.model();
        CheckpointPlan checkpoints = checkpointInterval == null ? null
                : new CheckpointPlan(cache.checkpointFile(key), key, checkpointInterval, "run " + s.runId);
        Model model = trainer.train(plan.architecture().id(), plan.architecture().params(), plan.training(), s.data,
                s.trainingImages(), s.poisoned == null ? null : s.poisoned.trainingHook(), ctx, checkpoints);
        String description = (s.pipeline.attack() == null ? "clean" : s.pipeline.attack().id()) + " on "
                + s.data.datasetId() + " / " + plan.architecture().id();
        try {
            cache.store(key, keyParts, description, s.runId, model, trainer, attackRecord(s, ctx));
            ctx.log("stored the trained model in the attack cache as " + key.substring(0, 12) + "…");
            recorder.cacheEntry(s.step, key, description);
            if (cache.deleteCheckpoint(key)) {
                ctx.log("deleted the training checkpoint: the model is stored");
            }
        } catch (Exception e) {
            ctx.warn("could not store the trained model in the cache: " + e.getMessage());
        }
        return model;
    }

    /** The files stored with a cached model: the poison indices and the attack step's trigger pictures. */
    private Map<String, Path> attackRecord(RunState s, StepContext ctx) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        if (s.poisoned == null) {
            return files;
        }
        Path indices = ctx.artifactDir().resolve(POISON_INDICES);
        json.writeValue(indices.toFile(), s.poisoned.poisonIndices());
        files.put(POISON_INDICES, indices);
        Path attackDir = runDir.resolve("step-1-" + StepPlans.ATTACK);
        if (Files.isDirectory(attackDir)) {
            try (Stream<Path> pictures = Files.list(attackDir)) {
                pictures.filter(f -> f.getFileName().toString().endsWith(".png")).forEach(f -> files.put(f.getFileName().toString(), f));
            }
        }
        return files;
    }

    /** Warns when the attack, re-run for this pipeline, poisoned other images than when the cached model was trained. */
    private void checkCachedPoisonIndices(RunState s, String key, StepContext ctx) throws IOException {
        if (s.poisoned == null) {
            return;
        }
        Optional<Path> stored = cache.file(key, POISON_INDICES);
        if (stored.isEmpty()) {
            return;
        }
        int[] cachedIndices = json.readValue(stored.get().toFile(), int[].class);
        if (!Arrays.equals(cachedIndices, s.poisoned.poisonIndices())) {
            ctx.warn("the attack poisoned different images than when the cached model was trained: the attack is not "
                    + "deterministic for its seed; the reported ASR may not match the cached model");
        } else {
            ctx.log("the attack's poison indices match the cached model's (" + cachedIndices.length + " images)");
        }
    }
}
