package io.purifier.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.server.FileTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Uploaded models: a row per model plus the file under {@code data/models/<id>/}. */
public final class ModelStore {

    /**
     * A stored model.
     *
     * @param id         stable id ({@code m-} + 12 hex digits)
     * @param name       user-given name
     * @param formatId   the model-format plugin that reads it
     * @param params     the format's resolved parameters
     * @param fileName   the original file name
     * @param size       bytes
     * @param sha256     file hash
     * @param info       the model's metadata as loaded (shape, classes, architecture)
     * @param uploadedBy user name
     * @param createdAt  upload time
     */
    public record StoredModel(String id, String name, String formatId, JsonNode params, String fileName, long size,
                              String sha256, JsonNode info, String uploadedBy, Instant createdAt) {
    }

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final Path root;

    /**
     * @param db      the open database
     * @param json    mapper for JSON columns
     * @param dataDir the data directory ({@code models/} is created below it)
     */
    public ModelStore(Database db, ObjectMapper json, Path dataDir) {
        this.jdbc = new Jdbc(db);
        this.json = json;
        this.root = dataDir.resolve("models");
    }

    /** A fresh id for a model about to be stored. */
    public static String newId() {
        return "m-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The directory of model {@code id}. */
    public Path directory(String id) {
        return root.resolve(id);
    }

    /**
     * Moves {@code file} into the model's directory and records it, so that after a crash at any moment either both
     * the file and the row exist or neither does: the file is moved in and flushed to disk (with its directory)
     * before the row is committed; a failed insert deletes the directory again; a directory left without a row by a
     * crash in between is removed at the next start ({@link #removeOrphans()}).
     *
     * @return the stored model
     */
    public StoredModel add(String id, String name, String formatId, JsonNode params, String fileName, Path file,
                           String sha256, JsonNode info, String uploadedBy) {
        Path dir = directory(id);
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(fileName);
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
            Durable.force(target);
            Durable.force(dir);
            Durable.force(root);
            long size = Files.size(target);
            Instant now = Instant.now();
            jdbc.update("INSERT INTO models(id, name, format_id, params_json, file_name, size, sha256, info_json, uploaded_by, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, name, formatId, write(params), fileName, size, sha256,
                    write(info), uploadedBy, now);
            return new StoredModel(id, name, formatId, params, fileName, size, sha256, info, uploadedBy, now);
        } catch (IOException | RuntimeException e) {
            try {
                FileTrees.delete(dir);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot store model file " + fileName, io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Deletes model directories that have no row (left by a crash between moving the file in and committing the
     * row). Call at start, before uploads are accepted.
     *
     * @return the ids removed
     */
    public List<String> removeOrphans() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        java.util.Set<String> known = new java.util.HashSet<>(jdbc.query("SELECT id FROM models", rs -> rs.getString(1)));
        List<String> removed = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                String id = d.getFileName().toString();
                if (!known.contains(id)) {
                    FileTrees.delete(d);
                    removed.add(id);
                }
            }
        }
        return removed;
    }

    /** All models, newest first. */
    public List<StoredModel> list() {
        return jdbc.query("SELECT * FROM models ORDER BY created_at DESC", this::model);
    }

    /** One model. */
    public Optional<StoredModel> find(String id) {
        return Optional.ofNullable(jdbc.queryOne("SELECT * FROM models WHERE id = ?", this::model, id));
    }

    /** The file of a stored model. */
    public Path file(StoredModel model) {
        return directory(model.id()).resolve(model.fileName());
    }

    private StoredModel model(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredModel(rs.getString("id"), rs.getString("name"), rs.getString("format_id"),
                read(rs.getString("params_json")), rs.getString("file_name"), rs.getLong("size"), rs.getString("sha256"),
                read(rs.getString("info_json")), rs.getString("uploaded_by"), Jdbc.instant(rs, "created_at"));
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is corrupt", e);
        }
    }
}
