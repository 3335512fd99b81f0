package io.purifier.server.web;

import io.javalin.Javalin;
import io.purifier.server.auth.Role;
import io.purifier.server.pipeline.AttackCache;
import io.purifier.server.pipeline.ModelTrainer;

/** The attack-once cache: list its entries and the checkpoints of stopped trainings, drop one. */
final class CacheEndpoints implements Endpoints {

    private final AttackCache cache;
    private final ModelTrainer trainer;

    CacheEndpoints(AttackCache cache, ModelTrainer trainer) {
        this.cache = cache;
        this.trainer = trainer;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/cache", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            ctx.json(cache.list());
        });
        app.get("/api/cache/checkpoints", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            ctx.json(trainer == null ? java.util.List.of() : cache.checkpoints(trainer));
        });
        app.delete("/api/cache/checkpoints/{key}", ctx -> {
            Auth.require(ctx, Role.RESEARCHER);
            if (!cache.deleteCheckpoint(ctx.pathParam("key"))) {
                throw ApiException.notFound("no training checkpoint with key '" + ctx.pathParam("key") + "'");
            }
            ctx.status(204);
        });
        app.delete("/api/cache/{key}", ctx -> {
            Auth.require(ctx, Role.RESEARCHER);
            if (!cache.delete(ctx.pathParam("key"))) {
                throw ApiException.notFound("no cache entry with key '" + ctx.pathParam("key") + "'");
            }
            ctx.status(204);
        });
    }
}
