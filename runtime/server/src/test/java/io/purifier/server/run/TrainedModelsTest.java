package io.purifier.server.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.attack.PoisonedData;
import io.purifier.api.model.Model;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.server.PurifierServer;
import io.purifier.server.pipeline.AttackCache;
import io.purifier.server.pipeline.CheckpointPlan;
import io.purifier.server.pipeline.ModelTrainer;
import io.purifier.server.pipeline.ValidatedPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class TrainedModelsTest {

    @TempDir
    Path dir;
    final ObjectMapper json = PurifierServer.objectMapper();
    final RunFixtures.RecordingRecorder recorder = new RunFixtures.RecordingRecorder();
    final Model model = new RunFixtures.PixelModel(0);

    private ModelTrainer trainer() throws Exception {
        ModelTrainer trainer = mock(ModelTrainer.class);
        when(trainer.version()).thenReturn("engine-test");
        when(trainer.train(any(), any(), any(), any(), any(), any(), any(), any())).thenReturn(model);
        doAnswer(inv -> Files.writeString(inv.getArgument(1), "weights")).when(trainer).save(any(), any());
        when(trainer.load(any())).thenReturn(model);
        return trainer;
    }

    private RunState state(int[] poisonIndices) {
        ValidatedPipeline p = RunFixtures.pipeline(RunFixtures.resolved("tiny"),
                new ValidatedPipeline.ModelPlan("train", RunFixtures.resolved("small-cnn"), ParamDescriptor.none().defaults(), null),
                RunFixtures.resolved("badnets"), List.of(), List.of());
        RunState s = new RunState(9, p);
        s.data = RunFixtures.splits(6, 3);
        s.cleanTrain = s.data.train();
        s.poisoned = new PoisonedData(s.data.train(), poisonIndices, RunFixtures.images(2), new int[]{0, 0}, null, List.of());
        s.step = 2;
        return s;
    }

    private TrainedModels trained(ModelTrainer trainer, AttackCache cache) {
        return trained(trainer, cache, null);
    }

    private TrainedModels trained(ModelTrainer trainer, AttackCache cache, Duration checkpoints) {
        return new TrainedModels(new AttackCacheKeys(new RunFixtures.FakePlugins(), trainer, json), cache, trainer, recorder,
                dir.resolve("runs/9"), json, checkpoints);
    }

    private StepContext ctx() {
        return new StepContext(2, 42, dir.resolve("runs/9/step-2-model"), recorder, null, null, f -> { });
    }

    @Test
    void a_miss_trains_stores_the_model_with_its_poison_indices_and_reports_the_entry() throws Exception {
        ModelTrainer trainer = trainer();
        AttackCache cache = new AttackCache(dir.resolve("cache"), json);
        Map<String, Object> summary = new LinkedHashMap<>();
        assertSame(model, trained(trainer, cache).trainOrReuse(state(new int[]{1, 4}), ctx(), summary));
        assertEquals(false, summary.get("cacheHit"));
        String key = (String) summary.get("cacheKey");
        assertEquals("[1,4]", Files.readString(cache.file(key, TrainedModels.POISON_INDICES).orElseThrow()));
        assertEquals(List.of("cacheEntry 2 badnets on tiny / small-cnn"), recorder.calls);
    }

    @Test
    void a_hit_reuses_the_model_without_training_and_checks_the_poison_indices() throws Exception {
        ModelTrainer trainer = trainer();
        AttackCache cache = new AttackCache(dir.resolve("cache"), json);
        trained(trainer, cache).trainOrReuse(state(new int[]{1, 4}), ctx(), new LinkedHashMap<>());
        Map<String, Object> summary = new LinkedHashMap<>();
        assertSame(model, trained(trainer, cache).trainOrReuse(state(new int[]{1, 4}), ctx(), summary));
        assertEquals(true, summary.get("cacheHit"));
        verify(trainer, times(1)).train(any(), any(), any(), any(), any(), any(), any(), any());
        assertTrue(recorder.logs.contains("INFO the attack's poison indices match the cached model's (2 images)"), recorder.logs.toString());

        trained(trainer, cache).trainOrReuse(state(new int[]{2, 3}), ctx(), new LinkedHashMap<>());
        assertTrue(recorder.logs.stream().anyMatch(l -> l.startsWith("WARN the attack poisoned different images")), recorder.logs.toString());
    }

    @Test
    void a_cache_that_cannot_be_written_is_a_warning_and_the_trained_model_is_used() throws Exception {
        ModelTrainer trainer = trainer();
        doThrow(new IllegalStateException("disk full")).when(trainer).save(any(), any());
        Map<String, Object> summary = new LinkedHashMap<>();
        assertSame(model, trained(trainer, new AttackCache(dir.resolve("cache"), json)).trainOrReuse(state(new int[]{1}), ctx(), summary));
        assertTrue(recorder.logs.contains("WARN could not store the trained model in the cache: disk full"), recorder.logs.toString());
        assertTrue(recorder.calls.isEmpty(), "no cache entry is reported");
    }

    @Test
    void an_unreadable_cached_model_is_trained_again() throws Exception {
        ModelTrainer trainer = trainer();
        AttackCache cache = new AttackCache(dir.resolve("cache"), json);
        trained(trainer, cache).trainOrReuse(state(new int[]{1}), ctx(), new LinkedHashMap<>());
        when(trainer.load(any())).thenThrow(new IllegalStateException("truncated"));
        Map<String, Object> summary = new LinkedHashMap<>();
        trained(trainer, cache).trainOrReuse(state(new int[]{1}), ctx(), summary);
        assertEquals(false, summary.get("cacheHit"));
        verify(trainer, times(2)).train(any(), any(), any(), any(), any(), any(), any(), any());
        assertTrue(recorder.logs.stream().anyMatch(l -> l.startsWith("WARN cached model ") && l.endsWith("is unreadable (truncated); training again")),
                recorder.logs.toString());
    }

    @Test
    void a_training_saves_checkpoints_under_its_key_which_go_once_the_model_is_stored() throws Exception {
        ModelTrainer trainer = trainer();
        List<CheckpointPlan> plans = new ArrayList<>();
        when(trainer.train(any(), any(), any(), any(), any(), any(), any(), any())).thenAnswer(inv -> {
            CheckpointPlan plan = inv.getArgument(7);
            plans.add(plan);
            Files.createDirectories(plan.file().getParent());
            Files.writeString(plan.file(), "state after epoch 1");
            return model;
        });
        AttackCache cache = new AttackCache(dir.resolve("cache"), json);
        Map<String, Object> summary = new LinkedHashMap<>();
        trained(trainer, cache, Duration.ofMinutes(5)).trainOrReuse(state(new int[]{1}), ctx(), summary);
        String key = (String) summary.get("cacheKey");
        assertEquals(List.of(new CheckpointPlan(cache.checkpointFile(key), key, Duration.ofMinutes(5), "run 9")), plans);
        assertFalse(Files.exists(cache.checkpointFile(key)), "the stored model makes the checkpoint useless");
        assertTrue(recorder.logs.contains("INFO deleted the training checkpoint: the model is stored"), recorder.logs.toString());
    }

    @Test
    void without_an_interval_no_checkpoint_is_kept_and_a_model_that_cannot_be_stored_keeps_its_checkpoint() throws Exception {
        ModelTrainer trainer = trainer();
        AttackCache cache = new AttackCache(dir.resolve("cache"), json);
        trained(trainer, cache).trainOrReuse(state(new int[]{1}), ctx(), new LinkedHashMap<>());
        verify(trainer).train(any(), any(), any(), any(), any(), any(), any(), isNull());

        ModelTrainer failing = trainer();
        doThrow(new IllegalStateException("disk full")).when(failing).save(any(), any());
        when(failing.train(any(), any(), any(), any(), any(), any(), any(), any())).thenAnswer(inv -> {
            CheckpointPlan plan = inv.getArgument(7);
            Files.createDirectories(plan.file().getParent());
            Files.writeString(plan.file(), "state after epoch 9");
            return model;
        });
        AttackCache unwritable = new AttackCache(dir.resolve("other-cache"), json);
        Map<String, Object> summary = new LinkedHashMap<>();
        trained(failing, unwritable, Duration.ZERO).trainOrReuse(state(new int[]{1}), ctx(), summary);
        assertEquals(false, summary.get("cacheHit"));
        assertTrue(Files.exists(unwritable.checkpointFile((String) summary.get("cacheKey"))),
                "a model that was not stored keeps its checkpoint: the next run resumes from it");
    }
}
