package io.purifier.server.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.data.Normalization;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelInfo;
import io.purifier.server.PurifierServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class AttackCacheTest {

    @TempDir
    Path dir;
    final ObjectMapper json = PurifierServer.objectMapper();

    private ObjectNode parts(String attack, double ratio, long seed) {
        ObjectNode p = json.createObjectNode();
        p.putObject("attack").put("id", attack).putObject("params").put("poisonRatio", ratio).put("targetLabel", 0);
        p.put("datasetHash", "abc");
        p.put("seed", seed);
        return p;
    }

    @Test
    void the_key_depends_on_content_not_on_field_order() {
        AttackCache cache = new AttackCache(dir, json);
        ObjectNode a = parts("badnets", 0.1, 1);
        ObjectNode reordered = json.createObjectNode();
        reordered.put("seed", 1L);
        reordered.put("datasetHash", "abc");
        reordered.putObject("attack").put("id", "badnets").putObject("params").put("targetLabel", 0).put("poisonRatio", 0.1);
        assertEquals(cache.key(a), cache.key(reordered));
        assertNotEquals(cache.key(a), cache.key(parts("badnets", 0.2, 1)));
        assertNotEquals(cache.key(a), cache.key(parts("blended", 0.1, 1)));
        assertNotEquals(cache.key(a), cache.key(parts("badnets", 0.1, 2)));
        assertEquals(64, cache.key(a).length());
    }

    @Test
    void a_stored_model_is_found_again_listed_and_deleted() throws Exception {
        AttackCache cache = new AttackCache(dir, json);
        ModelTrainer trainer = mock(ModelTrainer.class);
        Model model = new TinyModel();
        doAnswer(inv -> {
            Files.writeString(inv.getArgument(1), "weights");
            return null;
        }).when(trainer).save(any(), any());
        when(trainer.load(any())).thenReturn(model);
        String key = cache.key(parts("badnets", 0.1, 1));
        assertTrue(cache.lookup(key, trainer).isEmpty(), "miss before storing");
        Path indices = Files.writeString(dir.resolve("idx.json"), "[3,1,4]");
        cache.store(key, parts("badnets", 0.1, 1), "badnets on x / small-cnn", 7, model, trainer, Map.of("poison-indices.json", indices));
        assertEquals("[3,1,4]", Files.readString(cache.file(key, "poison-indices.json").orElseThrow()));
        assertTrue(cache.file(key, "../entry.json").isEmpty());
        assertSame(model, cache.lookup(key, trainer).orElseThrow(), "hit after storing");
        String other = cache.key(parts("badnets", 0.3, 1));
        assertTrue(cache.lookup(other, trainer).isEmpty(), "other parameters miss");
        List<AttackCache.Entry> entries = cache.list();
        assertEquals(1, entries.size());
        assertEquals(7, entries.get(0).runId());
        assertEquals("badnets on x / small-cnn", entries.get(0).description());
        assertTrue(entries.get(0).sizeBytes() > 0);
        assertTrue(cache.delete(key));
        assertFalse(cache.delete(key));
        assertFalse(cache.delete("../../etc"));
        assertTrue(cache.lookup(key, trainer).isEmpty());
    }

    @Test
    void training_checkpoints_are_listed_newest_first_and_deleted_alone_or_with_their_entry() throws Exception {
        AttackCache cache = new AttackCache(dir, json);
        ModelTrainer trainer = mock(ModelTrainer.class);
        String older = cache.key(parts("badnets", 0.1, 1));
        String newer = cache.key(parts("blended", 0.1, 1));
        String unreadable = cache.key(parts("sig", 0.1, 1));
        for (String key : List.of(older, newer, unreadable)) {
            Files.createDirectories(cache.checkpointFile(key).getParent());
            Files.writeString(cache.checkpointFile(key), "checkpoint " + key);
        }
        Files.writeString(cache.checkpointFile(older).resolveSibling("notes.txt"), "not a checkpoint");
        when(trainer.describeCheckpoint(any(), any())).thenReturn(java.util.Optional.empty());
        when(trainer.describeCheckpoint(eq(older), any())).thenReturn(java.util.Optional.of(
                new CheckpointPlan.Summary(older, "run 3", 12, 100, java.time.Instant.parse("2026-12-04T10:00:00Z"), 5)));
        when(trainer.describeCheckpoint(eq(newer), any())).thenReturn(java.util.Optional.of(
                new CheckpointPlan.Summary(newer, "run 4", 40, 100, java.time.Instant.parse("2026-12-04T11:00:00Z"), 5)));

        List<CheckpointPlan.Summary> listed = cache.checkpoints(trainer);
        assertEquals(List.of(unreadable, newer, older), listed.stream().map(CheckpointPlan.Summary::key).toList(),
                "an unreadable file is listed too (its modification time is now)");
        assertEquals("unreadable", listed.get(0).origin());
        assertEquals(0, listed.get(0).epochsDone());
        assertTrue(listed.get(0).sizeBytes() > 0);
        assertTrue(cache.list().isEmpty(), "checkpoints are not cache entries");

        assertTrue(cache.deleteCheckpoint(newer));
        assertFalse(cache.deleteCheckpoint(newer));
        assertFalse(cache.deleteCheckpoint("../entry"));
        assertTrue(cache.delete(older), "deleting a key with only a checkpoint deletes the checkpoint");
        assertFalse(Files.exists(cache.checkpointFile(older)));
        assertEquals(List.of(unreadable), cache.checkpoints(trainer).stream().map(CheckpointPlan.Summary::key).toList());
        assertThrows(IllegalArgumentException.class, () -> cache.checkpointFile("../../etc/passwd"));
    }

    /** A two-class model of one pixel. */
    private static final class TinyModel implements Model {
        @Override
        public ModelInfo info() {
            return new ModelInfo("tiny", 1, 1, 1, List.of("a", "b"), Normalization.identity(1), List.of(), Map.of());
        }

        @Override
        public INDArray logits(INDArray images) {
            return Nd4j.zeros(images.size(0), 2);
        }
    }
}
