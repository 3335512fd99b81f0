package io.purifier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.purifier.server.auth.Role;
import io.purifier.server.auth.User;

import java.util.LinkedHashMap;
import java.util.Map;

/** Users (admins only), saved pipelines and the attack cache. */
final class AdminEndpoints {

    private final Services s;

    AdminEndpoints(Services services) {
        this.s = services;
    }

    void register(Javalin app) {
        app.get("/api/users", ctx -> {
            Auth.require(ctx, Role.ADMIN);
            ctx.json(s.users().list());
        });
        app.post("/api/users", this::addUser);
        app.delete("/api/users/{name}", ctx -> {
            Auth.require(ctx, Role.ADMIN);
            userCall(() -> s.users().revoke(ctx.pathParam("name")));
            ctx.status(204);
        });
        app.post("/api/users/{name}/tokens", ctx -> {
            Auth.require(ctx, Role.ADMIN);
            String token = userCall(() -> s.users().issueToken(ctx.pathParam("name")));
            ctx.status(201).json(Map.of("name", ctx.pathParam("name"), "token", token));
        });

        app.get("/api/pipelines", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            ctx.json(s.pipelines().list());
        });
        app.get("/api/pipelines/{id}", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            long id = pipelineId(ctx);
            ctx.json(s.pipelines().find(id).orElseThrow(() -> ApiException.notFound("no saved pipeline with id " + id)));
        });
        app.post("/api/pipelines", this::savePipeline);
        app.put("/api/pipelines/{id}", this::updatePipeline);
        app.delete("/api/pipelines/{id}", ctx -> {
            Auth.require(ctx, Role.RESEARCHER);
            long id = pipelineId(ctx);
            if (!s.pipelines().delete(id)) {
                throw ApiException.notFound("no saved pipeline with id " + id);
            }
            ctx.status(204);
        });

        app.get("/api/cache", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            ctx.json(s.cache().list());
        });
        app.delete("/api/cache/{key}", ctx -> {
            Auth.require(ctx, Role.RESEARCHER);
            if (!s.cache().delete(ctx.pathParam("key"))) {
                throw ApiException.notFound("no cache entry with key '" + ctx.pathParam("key") + "'");
            }
            ctx.status(204);
        });
    }

    /** The body of user creation. */
    record NewUser(String name, String role) {
    }

    /** The body of a saved pipeline. */
    record SavedPipelineBody(String name, JsonNode spec) {
    }

    private void addUser(Context ctx) {
        Auth.require(ctx, Role.ADMIN);
        NewUser body = JsonBodies.read(ctx, s.json(), NewUser.class);
        Role role = userCall(() -> Role.parse(body.role() == null ? "researcher" : body.role()));
        String token = userCall(() -> s.users().add(body.name(), role));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", body.name());
        out.put("role", role.jsonName());
        out.put("token", token);
        ctx.status(201).json(out);
    }

    private void savePipeline(Context ctx) {
        User user = Auth.require(ctx, Role.RESEARCHER);
        SavedPipelineBody body = pipelineBody(ctx);
        long id = s.pipelines().add(body.name().trim(), body.spec(), user.name());
        ctx.status(201).json(s.pipelines().find(id).orElseThrow());
    }

    private void updatePipeline(Context ctx) {
        Auth.require(ctx, Role.RESEARCHER);
        long id = pipelineId(ctx);
        SavedPipelineBody body = pipelineBody(ctx);
        if (!s.pipelines().update(id, body.name().trim(), body.spec())) {
            throw ApiException.notFound("no saved pipeline with id " + id);
        }
        ctx.json(s.pipelines().find(id).orElseThrow());
    }

    private SavedPipelineBody pipelineBody(Context ctx) {
        SavedPipelineBody body = JsonBodies.read(ctx, s.json(), SavedPipelineBody.class);
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

    private static <T> T userCall(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static void userCall(Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
