package io.purifier.engine.train;

import io.purifier.api.attack.TrainingBatch;
import io.purifier.api.attack.TrainingHook;
import io.purifier.api.data.Augmentation;
import io.purifier.api.data.ImageSet;
import io.purifier.api.run.RunCancelledException;
import io.purifier.engine.TestModels;
import io.purifier.engine.eval.Evaluator;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.run.LocalRunContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training checkpoints: an interrupted training resumed from one ends bit-identical to an uninterrupted one. */
class TrainingCheckpointsTest {

    private static final ImageSet TRAIN = TestModels.quadrants(3, 80, 12, 3);
    private static final ImageSet TEST = TestModels.quadrants(4, 40, 12, 3);
    private static final Augmentation AUG = new Augmentation(2, true);
    private static final long SEED = 11;

    @TempDir
    Path dir;

    private static EngineModel bnCnn() {
        return TestModels.create("small-cnn", Map.of("width", 4, "hidden", 16, "batchNorm", true),
                TestModels.spec(1, 12, 3), 5);
    }

    /** Relabels a random share of each batch to class 0, drawing from the trainer's generator (as attacks do). */
    private static final TrainingHook RANDOM_RELABEL = (TrainingBatch batch, java.util.Random rng) -> {
        int[] labels = batch.labels().clone();
        for (int i = 0; i < labels.length; i++) {
            if (rng.nextDouble() < 0.1) {
                labels[i] = 0;
            }
        }
        return new TrainingBatch(batch.images(), labels, batch.indices());
    };

    private static LocalRunContext context() {
        return LocalRunContext.quiet(SEED).withProbe(m -> Map.of("C-ACC", Evaluator.accuracy(m, TEST)));
    }

    /** A context whose run is cancelled right after the probe of epoch {@code epoch}, i.e. during the next epoch. */
    private static LocalRunContext cancelledAfter(int epoch) {
        AtomicInteger probes = new AtomicInteger();
        LocalRunContext[] self = new LocalRunContext[1];
        self[0] = LocalRunContext.quiet(SEED).withProbe(m -> {
            if (probes.incrementAndGet() == epoch) {
                self[0].cancel("stopped by test");
            }
            return Map.of("C-ACC", Evaluator.accuracy(m, TEST));
        });
        return self[0];
    }

    private TrainingCheckpoints checkpoints(String fingerprint) {
        return TrainingCheckpoints.inFile(dir.resolve("train.ckpt"), fingerprint, Duration.ZERO, "run 7");
    }

    private static void assertSameArrays(EngineModel expected, EngineModel actual) {
        for (String name : expected.arrays().names()) {
            assertEquals(expected.array(name), actual.array(name), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam"})
    void a_training_stopped_in_epoch_3_and_resumed_ends_bit_identical_to_an_uninterrupted_one(String optimizer) {
        TrainingConfig cfg = new TrainingConfig(optimizer, optimizer.equals("sgd") ? 0.05 : 0.005, 0.9, 5e-4,
                "cosine", 4, 16);
        EngineModel uninterrupted = bnCnn();
        LocalRunContext straight = context();
        TrainingReport expected = Trainer.train(uninterrupted, TRAIN, AUG, RANDOM_RELABEL, cfg, straight);

        EngineModel first = bnCnn();
        LocalRunContext stopped = cancelledAfter(2);
        assertThrows(RunCancelledException.class,
                () -> Trainer.train(first, TRAIN, AUG, RANDOM_RELABEL, cfg, stopped, checkpoints("fp")));
        assertTrue(stopped.logLines().stream().anyMatch(l -> l.contains("saved the training checkpoint after epoch 2/4")),
                stopped.logLines().toString());
        assertEquals(2, TrainingCheckpoints.describe(dir.resolve("train.ckpt")).orElseThrow().epochsDone());

        EngineModel second = bnCnn();
        LocalRunContext resumedCtx = context();
        TrainingReport resumed = Trainer.train(second, TRAIN, AUG, RANDOM_RELABEL, cfg, resumedCtx, checkpoints("fp"));

        assertSameArrays(uninterrupted, second);
        assertEquals(expected.epochs().stream().map(EpochStats::loss).toList(),
                resumed.epochs().stream().map(EpochStats::loss).toList());
        for (String curve : List.of("train/loss", "train/accuracy", "train/lr", "test/C-ACC")) {
            assertEquals(straight.curve(curve).size(), resumedCtx.curve(curve).size(), curve);
            for (int i = 0; i < straight.curve(curve).size(); i++) {
                assertArrayEquals(straight.curve(curve).get(i), resumedCtx.curve(curve).get(i), 0.0, curve + " point " + i);
            }
        }
        assertTrue(resumedCtx.logLines().stream().anyMatch(l -> l.contains("resuming from the training checkpoint saved "
                + "after epoch 2/4") && l.contains("by run 7") && l.contains("2 epochs to go")), resumedCtx.logLines().toString());
        assertFalse(resumedCtx.logLines().stream().anyMatch(l -> l.contains("epoch 1/4:")),
                "epochs 1 and 2 must not be trained again: " + resumedCtx.logLines());
    }

    @Test
    void the_last_epoch_is_never_saved_and_the_interval_spaces_saves() {
        TrainingConfig cfg = new TrainingConfig("sgd", 0.05, 0.9, 5e-4, "cosine", 2, 16);
        Trainer.train(bnCnn(), TRAIN, AUG, null, cfg, context(), checkpoints("fp"));
        assertEquals(1, TrainingCheckpoints.describe(dir.resolve("train.ckpt")).orElseThrow().epochsDone(),
                "after epoch 1 of 2 only");

        Path spaced = dir.resolve("spaced.ckpt");
        LocalRunContext ctx = context();
        Trainer.train(bnCnn(), TRAIN, AUG, null, cfg.withEpochs(3), ctx,
                TrainingCheckpoints.inFile(spaced, "fp", Duration.ofHours(1), "run 8"));
        assertFalse(Files.exists(spaced), "an hour has not passed: nothing to save");
    }

    @Test
    void a_checkpoint_of_another_training_is_a_warning_and_the_training_starts_over() {
        TrainingConfig cfg = new TrainingConfig("sgd", 0.05, 0.9, 5e-4, "cosine", 3, 16);
        assertThrows(RunCancelledException.class,
                () -> Trainer.train(bnCnn(), TRAIN, AUG, null, cfg, cancelledAfter(1), checkpoints("other attack")));
        EngineModel uninterrupted = bnCnn();
        Trainer.train(uninterrupted, TRAIN, AUG, null, cfg, context());

        EngineModel model = bnCnn();
        LocalRunContext ctx = context();
        Trainer.train(model, TRAIN, AUG, null, cfg, ctx, checkpoints("this attack"));
        assertSameArrays(uninterrupted, model);
        assertTrue(ctx.logLines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("is not for this training")
                && l.contains("another fingerprint")), ctx.logLines().toString());

        EngineModel longer = bnCnn();
        LocalRunContext longerCtx = context();
        assertThrows(RunCancelledException.class,
                () -> Trainer.train(bnCnn(), TRAIN, AUG, null, cfg, cancelledAfter(1), checkpoints("fp")));
        Trainer.train(longer, TRAIN, AUG, null, cfg.withEpochs(4), longerCtx, checkpoints("fp"));
        assertTrue(longerCtx.logLines().stream().anyMatch(l -> l.contains("is not for this training") && l.contains("epochs=3")),
                longerCtx.logLines().toString());
    }

    @Test
    void a_damaged_checkpoint_is_a_warning_and_the_training_starts_over() throws Exception {
        TrainingConfig cfg = new TrainingConfig("sgd", 0.05, 0.9, 5e-4, "cosine", 2, 16);
        Path file = dir.resolve("train.ckpt");
        Files.writeString(file, "not a zip");
        EngineModel model = bnCnn();
        LocalRunContext ctx = context();
        Trainer.train(model, TRAIN, AUG, null, cfg, ctx, checkpoints("fp"));
        EngineModel uninterrupted = bnCnn();
        Trainer.train(uninterrupted, TRAIN, AUG, null, cfg, context());
        assertSameArrays(uninterrupted, model);
        assertTrue(ctx.logLines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("train.ckpt")
                && l.contains("training from the start")), ctx.logLines().toString());
        assertTrue(TrainingCheckpoints.describe(file).isPresent(), "the damaged file is replaced by a good checkpoint");

        byte[] good = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));
        assertTrue(TrainingCheckpoints.describe(dir.resolve("missing.ckpt")).isEmpty());
        LocalRunContext truncated = context();
        EngineModel again = bnCnn();
        Trainer.train(again, TRAIN, AUG, null, cfg, truncated, checkpoints("fp"));
        assertSameArrays(uninterrupted, again);
        assertTrue(truncated.logLines().stream().anyMatch(l -> l.contains("cannot be read")), truncated.logLines().toString());
    }

    @Test
    void discard_deletes_the_file_and_the_summary_names_its_training() throws Exception {
        TrainingConfig cfg = new TrainingConfig("adam", 0.005, 0.9, 0, "constant", 3, 16);
        assertThrows(RunCancelledException.class,
                () -> Trainer.train(bnCnn(), TRAIN, AUG, null, cfg, cancelledAfter(1), checkpoints("fp-1")));
        TrainingCheckpoints.Summary summary = TrainingCheckpoints.describe(dir.resolve("train.ckpt")).orElseThrow();
        assertEquals("fp-1", summary.fingerprint());
        assertEquals("run 7", summary.origin());
        assertEquals(1, summary.epochsDone());
        assertEquals(3, summary.epochs());
        Path abandoned = dir.resolve(".train.ckpt123.tmp");
        Path young = dir.resolve(".train.ckpt456.tmp");
        Files.writeString(abandoned, "half a checkpoint of a killed writer");
        Files.writeString(young, "another writer's checkpoint in progress");
        Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - CheckpointFile.ABANDONED.toMillis() - 60_000));
        assertThrows(RunCancelledException.class,
                () -> Trainer.train(bnCnn(), TRAIN, AUG, null, cfg, cancelledAfter(1), checkpoints("fp-1")));
        assertFalse(Files.exists(abandoned), "a temporary left by a killed writer is deleted at the next save");
        assertTrue(Files.exists(young), "a recent one may be another training's write in progress");
        checkpoints("fp-1").discard();
        assertFalse(Files.exists(dir.resolve("train.ckpt")));
        assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoints.inFile(dir.resolve("x"), "fp", Duration.ofSeconds(-1), "run"));
        assertFalse(TrainingCheckpoints.none().enabled());
        assertTrue(checkpoints("fp").enabled());
    }
}
