package io.purifier.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.model.Model;
import io.purifier.server.FileTrees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Trained (possibly backdoored) models stored under a content key: attack id + resolved parameters + attack
 * bundle version + dataset content hash + model recipe + seed + trainer version. A second pipeline with the
 * same key reuses the model instead of training again. Entries live in {@code cache/models/<key>/} under the directory
 * the cache is made with; a training that was stopped keeps its {@linkplain #checkpointFile checkpoint} in
 * {@code cache/checkpoints/<key>.ckpt} there until its model is stored.
 */
public final class AttackCache {

    /**
     * A cache entry as the API lists it.
     *
     * @param key         the content key (SHA-256 hex)
     * @param description what was trained (e.g. "badnets on fashion-mnist / small-cnn")
     * @param createdAt   when it was stored
     * @param runId       the run that trained it
     * @param sizeBytes   bytes on disk
     * @param keyParts    the parts the key was computed from
     */
    public record Entry(String key, String description, Instant createdAt, long runId, long sizeBytes, JsonNode keyParts) {
    }

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");
    private static final String MODEL_FILE = "model.bin";
    private static final String CHECKPOINT_SUFFIX = ".ckpt";
    /** The file of an entry that describes it (key, description, run, key parts). */
    public static final String META_FILE = "entry.json";

    private final Path root;
    private final ObjectMapper json;

    /**
     * @param dataDir the data directory
     * @param json    JSON mapper
     */
    public AttackCache(Path dataDir, ObjectMapper json) {
        this.root = dataDir.resolve("cache").resolve("models");
        this.json = json;
    }

    /** The key of {@code keyParts} (canonical JSON, SHA-256). */
    public String key(ObjectNode keyParts) {
        try {
            byte[] canonical = json.writer().with(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsBytes(json.treeToValue(keyParts, java.util.TreeMap.class));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise cache key parts", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Loads the model stored under {@code key}, if present and readable. */
    public Optional<Model> lookup(String key, ModelTrainer trainer) throws Exception {
        Path dir = directory(key);
        if (!Files.isRegularFile(dir.resolve(MODEL_FILE)) || !Files.isRegularFile(dir.resolve(META_FILE))) {
            return Optional.empty();
        }
        return Optional.of(trainer.load(dir.resolve(MODEL_FILE)));
    }

    /**
     * Stores {@code model} under {@code key} (atomically: written to a temporary directory, then renamed), with
     * extra files that document the attack (poison indices, trigger pictures).
     */
    public void store(String key, ObjectNode keyParts, String description, long runId, Model model, ModelTrainer trainer,
                      java.util.Map<String, Path> extraFiles) throws Exception {
        Files.createDirectories(root);
        Path tmp = Files.createTempDirectory(root, ".tmp-" + key.substring(0, 8));
        try {
            trainer.save(model, tmp.resolve(MODEL_FILE));
            for (java.util.Map.Entry<String, Path> extra : extraFiles.entrySet()) {
                Files.copy(extra.getValue(), tmp.resolve(extra.getKey()));
            }
            ObjectNode meta = json.createObjectNode();
            meta.put("key", key);
            meta.put("description", description);
            meta.put("createdAt", Instant.now().toString());
            meta.put("runId", runId);
            meta.set("keyParts", keyParts);
            json.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(META_FILE).toFile(), meta);
            Path dir = directory(key);
            FileTrees.delete(dir);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            FileTrees.delete(tmp);
        }
    }

    /** A file stored next to the cached model under {@code key}, if present (e.g. {@code poison-indices.json}). */
    public Optional<Path> file(String key, String name) {
        Path file = directory(key).resolve(name);
        return Files.isRegularFile(file) && file.normalize().startsWith(directory(key)) ? Optional.of(file) : Optional.empty();
    }

    /** Every entry, newest first. */
    public List<Entry> list() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(d -> KEY.matcher(d.getFileName().toString()).matches()).toList()) {
                Path meta = dir.resolve(META_FILE);
                if (!Files.isRegularFile(meta)) {
                    continue;
                }
                JsonNode m = json.readTree(meta.toFile());
                out.add(new Entry(m.path("key").asText(), m.path("description").asText(),
                        Instant.parse(m.path("createdAt").asText()), m.path("runId").asLong(), size(dir), m.path("keyParts")));
            }
        }
        out.sort(Comparator.comparing(Entry::createdAt).reversed());
        return out;
    }

    /** Deletes an entry and the training checkpoint of its key, if any; false when there is neither. */
    public boolean delete(String key) throws IOException {
        if (!KEY.matcher(key).matches()) {
            return false;
        }
        boolean checkpoint = deleteCheckpoint(key);
        Path dir = directory(key);
        if (!Files.isDirectory(dir)) {
            return checkpoint;
        }
        FileTrees.delete(dir);
        return true;
    }

    /**
     * The training checkpoint of the model under {@code key}: where a training of that model saves its state at
     * epoch ends until the model is stored ({@code cache/checkpoints/<key>.ckpt}).
     */
    public Path checkpointFile(String key) {
        directory(key);
        return checkpointRoot().resolve(key + CHECKPOINT_SUFFIX);
    }

    /** Deletes the training checkpoint of {@code key}; false when there is none (or the key is not one). */
    public boolean deleteCheckpoint(String key) throws IOException {
        if (!KEY.matcher(key).matches()) {
            return false;
        }
        return Files.deleteIfExists(checkpointFile(key));
    }

    /**
     * The training checkpoints, most recently saved first: trainings that were stopped and resume when a pipeline
     * with the same key runs again. A file {@code trainer} cannot read is listed with 0 epochs done.
     */
    public List<CheckpointPlan.Summary> checkpoints(ModelTrainer trainer) throws IOException {
        List<CheckpointPlan.Summary> out = new ArrayList<>();
        if (!Files.isDirectory(checkpointRoot())) {
            return out;
        }
        try (Stream<Path> files = Files.list(checkpointRoot())) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(CHECKPOINT_SUFFIX)).toList()) {
                String name = file.getFileName().toString();
                String key = name.substring(0, name.length() - CHECKPOINT_SUFFIX.length());
                if (!KEY.matcher(key).matches()) {
                    continue;
                }
                Optional<CheckpointPlan.Summary> summary = trainer.describeCheckpoint(key, file);
                out.add(summary.isPresent() ? summary.get() : new CheckpointPlan.Summary(key, "unreadable", 0, 0,
                        Files.getLastModifiedTime(file).toInstant(), file.toFile().length()));
            }
        }
        out.sort(Comparator.comparing(CheckpointPlan.Summary::savedAt).reversed());
        return out;
    }

    private Path checkpointRoot() {
        return root.resolveSibling("checkpoints");
    }

    private Path directory(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a cache key: " + key);
        }
        return root.resolve(key);
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
