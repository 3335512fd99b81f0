package io.purifier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.purifier.api.PluginKind;
import io.purifier.api.model.ModelFormat;
import io.purifier.api.param.ResolvedParams;
import io.purifier.server.auth.Role;
import io.purifier.server.auth.User;
import io.purifier.server.inspect.ModelInspector;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.store.ModelStore;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Uploaded models: upload and list. An upload is checked by loading it with its format in a separate process
 * ({@code ModelInspector}); only a file that loads is stored.
 */
final class ModelEndpoints implements Endpoints {

    /** The longest accepted model name (the column's size). */
    static final int MAX_NAME_LENGTH = 200;

    private final PluginRegistry registry;
    private final ModelStore models;
    private final ModelInspector inspector;
    private final ObjectMapper json;
    private final Uploads.Limits uploads;

    ModelEndpoints(PluginRegistry registry, ModelStore models, ModelInspector inspector, ObjectMapper json, Uploads.Limits uploads) {
        this.registry = registry;
        this.models = models;
        this.inspector = inspector;
        this.json = json;
        this.uploads = uploads;
    }

    @Override
    public void register(Javalin app) {
        app.post("/api/models", this::upload);
        app.get("/api/models", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            ctx.json(models.list());
        });
        app.get("/api/models/{id}", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            String id = ctx.pathParam("id");
            ctx.json(models.find(id).orElseThrow(() -> ApiException.notFound("no stored model with id '" + id + "'")));
        });
    }

    private void upload(Context ctx) throws Exception {
        User user = Auth.require(ctx, Role.RESEARCHER);
        String formatId = Uploads.field(ctx, "format");
        if (formatId == null || formatId.isBlank()) {
            throw ApiException.badRequest("the model format is required (field 'format'; installed: "
                    + registry.ids(PluginKind.MODEL_FORMAT) + ")");
        }
        PluginRegistry.Found<ModelFormat> format = registry.find(PluginKind.MODEL_FORMAT, formatId, ModelFormat.class)
                .orElseThrow(() -> ApiException.badRequest("unknown model format '" + formatId + "' (installed: "
                        + registry.ids(PluginKind.MODEL_FORMAT) + ")"));
        Map<String, Object> rawParams = parseParams(Uploads.field(ctx, "params"));
        ResolvedParams params = format.plugin().parameters().resolve(rawParams);
        String name = Uploads.field(ctx, "name");
        if (name != null && name.trim().length() > MAX_NAME_LENGTH) {
            throw ApiException.badRequest("field 'name' is longer than " + MAX_NAME_LENGTH + " characters ("
                    + name.trim().length() + ")");
        }
        Uploads.Upload upload = Uploads.read(ctx, uploads, "model.bin");
        try {
            JsonNode info = inspector.inspect(upload.file(), upload.fileName(), formatId, params.asMap());
            String id = ModelStore.newId();
            ModelStore.StoredModel stored = models.add(id, name == null || name.isBlank() ? upload.fileName() : name.trim(),
                    formatId, json.valueToTree(params.asMap()), upload.fileName(), upload.file(),
                    BundleIdentity.sha256(upload.file()), info, user.name());
            ctx.status(201).header("Location", "/api/models/" + stored.id()).json(stored);
        } finally {
            Files.deleteIfExists(upload.file());
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parseParams(String raw) {
        if (raw == null || raw.isBlank()) {
            return new LinkedHashMap<>();
        }
        Map<String, Object> parsed;
        try {
            parsed = json.readValue(raw, Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("field 'params' must be a JSON object of format parameters: " + e.getOriginalMessage());
        }
        if (parsed == null) {
            throw ApiException.badRequest("field 'params' must be a JSON object of format parameters, got null");
        }
        return parsed;
    }
}
