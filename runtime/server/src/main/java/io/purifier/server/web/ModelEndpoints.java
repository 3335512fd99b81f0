package io.purifier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.purifier.api.InvalidInputException;
import io.purifier.api.PluginKind;
import io.purifier.api.model.Model;
import io.purifier.api.model.ModelFormat;
import io.purifier.api.model.ModelInfo;
import io.purifier.api.param.ResolvedParams;
import io.purifier.server.auth.Role;
import io.purifier.server.auth.User;
import io.purifier.server.osgi.BundleIdentity;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.store.ModelStore;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/** Uploaded models: upload (checked by loading it with its format) and list. */
final class ModelEndpoints {

    private final Services s;

    ModelEndpoints(Services services) {
        this.s = services;
    }

    void register(Javalin app) {
        app.post("/api/models", this::upload);
        app.get("/api/models", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            ctx.json(s.models().list());
        });
        app.get("/api/models/{id}", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            String id = ctx.pathParam("id");
            ctx.json(s.models().find(id).orElseThrow(() -> ApiException.notFound("no stored model with id '" + id + "'")));
        });
    }

    private void upload(Context ctx) throws Exception {
        User user = Auth.require(ctx, Role.RESEARCHER);
        String formatId = Uploads.field(ctx, "format");
        if (formatId == null || formatId.isBlank()) {
            throw ApiException.badRequest("the model format is required (field 'format'; installed: "
                    + s.registry().ids(PluginKind.MODEL_FORMAT) + ")");
        }
        PluginRegistry.Found<ModelFormat> format = s.registry().find(PluginKind.MODEL_FORMAT, formatId, ModelFormat.class)
                .orElseThrow(() -> ApiException.badRequest("unknown model format '" + formatId + "' (installed: "
                        + s.registry().ids(PluginKind.MODEL_FORMAT) + ")"));
        Map<String, Object> rawParams = parseParams(Uploads.field(ctx, "params"));
        ResolvedParams params = format.plugin().parameters().resolve(rawParams);
        Uploads.Upload upload = Uploads.read(ctx, s.config().dataDir().resolve("tmp"), s.config().maxUploadBytes(), "model.bin");
        try {
            Model model;
            try {
                model = format.plugin().load(upload.file(), params);
            } catch (InvalidInputException e) {
                throw e;
            } catch (Exception | LinkageError e) {
                throw new InvalidInputException("format '" + formatId + "' cannot read '" + upload.fileName() + "': " + e.getMessage(), e);
            }
            if (model == null) {
                throw new InvalidInputException("format '" + formatId + "' returned no model for '" + upload.fileName() + "'");
            }
            JsonNode info = describe(model.info());
            String name = Uploads.field(ctx, "name");
            String id = ModelStore.newId();
            ModelStore.StoredModel stored = s.models().add(id, name == null || name.isBlank() ? upload.fileName() : name.trim(),
                    formatId, s.json().valueToTree(params.asMap()), upload.fileName(), upload.file(),
                    BundleIdentity.sha256(upload.file()), info, user.name());
            ctx.status(201).header("Location", "/api/models/" + stored.id()).json(stored);
        } finally {
            Files.deleteIfExists(upload.file());
        }
    }

    private JsonNode describe(ModelInfo info) {
        ObjectNode node = s.json().createObjectNode();
        node.put("architecture", info.architecture());
        node.put("inputShape", info.inputShape());
        node.put("numClasses", info.numClasses());
        node.set("classNames", s.json().valueToTree(info.classNames()));
        node.set("layers", s.json().valueToTree(info.layerNames()));
        return node;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parseParams(String raw) {
        if (raw == null || raw.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return s.json().readValue(raw, Map.class);
        } catch (Exception e) {
            throw ApiException.badRequest("field 'params' must be a JSON object of format parameters: " + e.getMessage());
        }
    }
}
