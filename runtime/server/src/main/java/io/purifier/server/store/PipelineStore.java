package io.purifier.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Saved pipeline specifications (the UI's save / load / duplicate). */
public final class PipelineStore {

    /**
     * A saved pipeline.
     *
     * @param id        id
     * @param name      name
     * @param spec      the pipeline JSON
     * @param createdBy user name
     * @param createdAt creation time
     * @param updatedAt last change
     */
    public record SavedPipeline(long id, String name, JsonNode spec, String createdBy, Instant createdAt, Instant updatedAt) {
    }

    private final Jdbc jdbc;
    private final ObjectMapper json;

    /**
     * @param db   the open database
     * @param json mapper for the JSON column
     */
    public PipelineStore(Database db, ObjectMapper json) {
        this.jdbc = new Jdbc(db);
        this.json = json;
    }

    /** Saves a new pipeline; returns its id. */
    public long add(String name, JsonNode spec, String createdBy) {
        Instant now = Instant.now();
        return jdbc.insertReturningKey("INSERT INTO pipelines(name, spec_json, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                name, write(spec), createdBy, now, now);
    }

    /** Replaces a pipeline's name and spec; false when it does not exist. */
    public boolean update(long id, String name, JsonNode spec) {
        return jdbc.update("UPDATE pipelines SET name = ?, spec_json = ?, updated_at = ? WHERE id = ?",
                name, write(spec), Instant.now(), id) == 1;
    }

    /** Deletes a pipeline; false when it does not exist. */
    public boolean delete(long id) {
        return jdbc.update("DELETE FROM pipelines WHERE id = ?", id) == 1;
    }

    /** All pipelines, most recently changed first. */
    public List<SavedPipeline> list() {
        return jdbc.query("SELECT * FROM pipelines ORDER BY updated_at DESC, id DESC", this::row);
    }

    /** One pipeline. */
    public Optional<SavedPipeline> find(long id) {
        return Optional.ofNullable(jdbc.queryOne("SELECT * FROM pipelines WHERE id = ?", this::row, id));
    }

    private SavedPipeline row(java.sql.ResultSet rs) throws java.sql.SQLException {
        try {
            return new SavedPipeline(rs.getLong("id"), rs.getString("name"), json.readTree(rs.getString("spec_json")),
                    rs.getString("created_by"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored pipeline JSON is corrupt", e);
        }
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
