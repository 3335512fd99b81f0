package io.purifier.server.web;

import io.javalin.Javalin;
import io.purifier.server.auth.Role;
import io.purifier.server.pipeline.AttackCache;

/** The attack-once cache: list its entries, drop one. */
final class CacheEndpoints implements Endpoints {

    private final AttackCache cache;

    CacheEndpoints(AttackCache cache) {
        this.cache = cache;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/cache", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            ctx.json(cache.list());
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
