package io.purifier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.purifier.server.auth.Role;
import io.purifier.server.auth.User;
import io.purifier.server.pipeline.PipelineSchema;
import io.purifier.server.pipeline.PipelineSpec;
import io.purifier.server.pipeline.RunService;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.store.PipelineStore;

import java.util.LinkedHashMap;
import java.util.Map;

/** Saved pipelines (the UI's save and load) and validation of a pipeline without running it. */
final class PipelineEndpoints implements Endpoints {

    /** The body of a saved pipeline. */
    record SavedPipelineBody(String name, JsonNode spec) {
    }

    private final PipelineStore pipelines;
    private final RunService runs;
    private final ObjectMapper json;

    PipelineEndpoints(PipelineStore pipelines, RunService runs, ObjectMapper json) {
        this.pipelines = pipelines;
        this.runs = runs;
        this.json = json;
    }

    @Override
    public void register(Javalin app) {
        app.post("/api/pipelines/validate", this::validate);
        app.get("/api/pipelines", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            ctx.json(pipelines.list());
        });
        app.get("/api/pipelines/{id}", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            long id = pipelineId(ctx);
            ctx.json(pipelines.find(id).orElseThrow(() -> ApiException.notFound("no saved pipeline with id " + id)));
        });
        app.post("/api/pipelines", this::save);
        app.put("/api/pipelines/{id}", this::update);
        app.delete("/api/pipelines/{id}", ctx -> {
            Auth.require(ctx, Role.RESEARCHER);
            long id = pipelineId(ctx);
            if (!pipelines.delete(id)) {
                throw ApiException.notFound("no saved pipeline with id " + id);
            }
            ctx.status(204);
        });
    }

    private void validate(Context ctx) {
        Auth.require(ctx, Role.VIEWER);
        PipelineSpec spec = PipelineSchema.read(JsonBodies.readTree(ctx, json));
        ValidatedPipeline v = runs.validate(spec);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("valid", true);
        out.put("name", v.name());
        out.put("seed", v.seed());
        out.put("steps", v.defenses().size() + (v.attack() == null ? 2 : 3));
        ctx.json(out);
    }

    private void save(Context ctx) {
        User user = Auth.require(ctx, Role.RESEARCHER);
        SavedPipelineBody body = body(ctx);
        long id = pipelines.add(body.name().trim(), body.spec(), user.name());
        ctx.status(201).json(pipelines.find(id).orElseThrow());
    }

    private void update(Context ctx) {
        Auth.require(ctx, Role.RESEARCHER);
        long id = pipelineId(ctx);
        SavedPipelineBody body = body(ctx);
        if (!pipelines.update(id, body.name().trim(), body.spec())) {
            throw ApiException.notFound("no saved pipeline with id " + id);
        }
        ctx.json(pipelines.find(id).orElseThrow());
    }

    private SavedPipelineBody body(Context ctx) {
        SavedPipelineBody body = JsonBodies.read(ctx, json, SavedPipelineBody.class);
        if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
            throw ApiException.badRequest("field 'name' is required (1-200 characters)");
        }
        if (body.spec() == null || !body.spec().isObject()) {
            throw ApiException.badRequest("field 'spec' must be a pipeline JSON object");
        }
        return body;
    }

    private static long pipelineId(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("pipeline id must be a number, got '" + ctx.pathParam("id") + "'");
        }
    }
}
