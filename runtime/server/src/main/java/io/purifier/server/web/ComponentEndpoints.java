package io.purifier.server.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.purifier.api.PluginKind;
import io.purifier.server.auth.Role;
import io.purifier.server.osgi.ComponentInfo;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.pipeline.ModelTrainer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read-only views of what is installed: components (plugins), datasets, zoo architectures. */
final class ComponentEndpoints implements Endpoints {

    private final PluginRegistry registry;
    private final ModelTrainer trainer;

    /**
     * @param registry the installed plugins
     * @param trainer  the model zoo and trainer, or null when unavailable
     */
    ComponentEndpoints(PluginRegistry registry, ModelTrainer trainer) {
        this.registry = registry;
        this.trainer = trainer;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/components", this::components);
        app.get("/api/components/{kind}/{id}", this::component);
        app.get("/api/datasets", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            ctx.json(registry.list(PluginKind.DATASET));
        });
        app.get("/api/architectures", this::architectures);
    }

    private void components(Context ctx) {
        Auth.require(ctx, Role.VIEWER);
        String kind = ctx.queryParam("kind");
        if (kind == null || kind.isBlank()) {
            ctx.json(registry.listAll());
            return;
        }
        ctx.json(registry.list(kind(kind)));
    }

    private void component(Context ctx) {
        Auth.require(ctx, Role.VIEWER);
        PluginKind kind = kind(ctx.pathParam("kind"));
        String id = ctx.pathParam("id");
        List<ComponentInfo> matches = registry.list(kind).stream().filter(c -> c.id().equals(id)).toList();
        if (matches.isEmpty()) {
            throw ApiException.notFound("no " + kind.jsonName() + " with id '" + id + "' is installed");
        }
        ctx.json(matches.get(0));
    }

    private void architectures(Context ctx) {
        Auth.require(ctx, Role.VIEWER);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("available", trainer != null);
        out.put("architectures", trainer == null ? List.of() : trainer.architectures().stream().map(a -> Map.of(
                "id", a.id(), "name", a.name(), "description", a.description(), "parameters", a.parameters().specs())).toList());
        out.put("training", trainer == null ? List.of() : trainer.trainingParameters().specs());
        ctx.json(out);
    }

    static PluginKind kind(String value) {
        try {
            return PluginKind.fromJson(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
