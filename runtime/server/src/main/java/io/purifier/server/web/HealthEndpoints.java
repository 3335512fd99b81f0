package io.purifier.server.web;

import io.javalin.Javalin;
import io.purifier.server.pipeline.RunService;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/health}, the one endpoint that needs no token. */
final class HealthEndpoints implements Endpoints {

    private final String version;
    private final long startedAt;
    private final RunService runs;

    HealthEndpoints(String version, long startedAt, RunService runs) {
        this.version = version;
        this.startedAt = startedAt;
        this.runs = runs;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/health", ctx -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", "ok");
            out.put("version", version);
            out.put("uptimeSeconds", (System.currentTimeMillis() - startedAt) / 1000);
            out.put("activeRuns", runs.activeCount());
            ctx.json(out);
        });
    }
}
