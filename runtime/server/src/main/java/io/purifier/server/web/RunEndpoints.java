package io.purifier.server.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.purifier.server.auth.Role;
import io.purifier.server.auth.User;
import io.purifier.server.pipeline.PipelineSchema;
import io.purifier.server.pipeline.PipelineSpec;
import io.purifier.server.pipeline.ValidatedPipeline;
import io.purifier.server.store.RunRecords;
import io.purifier.server.store.RunStatus;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Runs: submit, list, inspect, cancel, logs, artifacts; and pipeline validation. */
final class RunEndpoints {

    private final Services s;

    RunEndpoints(Services services) {
        this.s = services;
    }

    void register(Javalin app) {
        app.post("/api/runs", this::submit);
        app.get("/api/runs", this::list);
        app.get("/api/runs/{id}", this::detail);
        app.post("/api/runs/{id}/cancel", this::cancel);
        app.get("/api/runs/{id}/logs", this::logs);
        app.get("/api/runs/{id}/artifacts/{step}/{name}", this::artifact);
        app.post("/api/pipelines/validate", this::validate);
    }

    private void submit(Context ctx) {
        User user = Auth.require(ctx, Role.RESEARCHER);
        PipelineSpec spec = PipelineSchema.read(JsonBodies.readTree(ctx, s.json()));
        long id = s.runs().submit(spec, user.name());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("status", RunStatus.QUEUED.name());
        out.put("url", "/api/runs/" + id);
        ctx.status(201).header("Location", "/api/runs/" + id).json(out);
    }

    private void validate(Context ctx) {
        Auth.require(ctx, Role.VIEWER);
        PipelineSpec spec = PipelineSchema.read(JsonBodies.readTree(ctx, s.json()));
        ValidatedPipeline v = s.runs().validate(spec);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("valid", true);
        out.put("name", v.name());
        out.put("seed", v.seed());
        out.put("steps", v.defenses().size() + (v.attack() == null ? 2 : 3));
        ctx.json(out);
    }

    private void list(Context ctx) {
        Auth.require(ctx, Role.VIEWER);
        int limit = intQuery(ctx, "limit", 100, 1, 1000);
        int offset = intQuery(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        String status = ctx.queryParam("status");
        RunStatus filter = null;
        if (status != null && !status.isBlank()) {
            try {
                filter = RunStatus.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("unknown status '" + status + "' (expected one of queued, running, succeeded, failed, cancelled, interrupted)");
            }
        }
        ctx.json(s.runStore().list(limit, offset, filter));
    }

    private void detail(Context ctx) {
        Auth.require(ctx, Role.VIEWER);
        long id = runId(ctx);
        ctx.json(s.runStore().detail(id).orElseThrow(() -> ApiException.notFound("no run with id " + id)));
    }

    private void cancel(Context ctx) {
        User user = Auth.require(ctx, Role.RESEARCHER);
        long id = runId(ctx);
        RunRecords.RunSummary run = s.runStore().summary(id).orElseThrow(() -> ApiException.notFound("no run with id " + id));
        if (!user.role().includes(Role.ADMIN) && !run.createdBy().equals(user.name())) {
            throw new ApiException(403, "only " + run.createdBy() + " or an admin may cancel run " + id);
        }
        if (run.status().isFinal() || !s.runs().cancel(id, user.name())) {
            throw new ApiException(409, "run " + id + " is " + run.status().name().toLowerCase(Locale.ROOT) + " and cannot be cancelled");
        }
        ctx.status(202).json(Map.of("id", id, "cancelling", true));
    }

    private void logs(Context ctx) {
        Auth.require(ctx, Role.VIEWER);
        long id = runId(ctx);
        s.runStore().summary(id).orElseThrow(() -> ApiException.notFound("no run with id " + id));
        long after = intQuery(ctx, "after", 0, 0, Integer.MAX_VALUE);
        ctx.json(s.runStore().logs(id, after, intQuery(ctx, "limit", 1000, 1, 10_000)));
    }

    private void artifact(Context ctx) throws Exception {
        Auth.require(ctx, Role.VIEWER);
        long id = runId(ctx);
        int step = intPath(ctx, "step");
        String name = ctx.pathParam("name");
        RunRecords.Artifact artifact = s.runStore().artifacts(id).stream()
                .filter(a -> a.stepIndex() == step && a.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiException.notFound("run " + id + " has no artifact '" + name + "' in step " + step));
        Path dataDir = s.config().dataDir().toAbsolutePath().normalize();
        Path file = dataDir.resolve(artifact.relativePath()).normalize();
        if (!file.startsWith(dataDir) || !Files.isRegularFile(file)) {
            throw ApiException.notFound("the file of artifact '" + name + "' is missing from the data directory");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        ctx.contentType(lower.endsWith(".png") ? "image/png" : lower.endsWith(".json") ? "application/json"
                : lower.endsWith(".csv") ? "text/csv" : "application/octet-stream");
        ctx.header("Content-Disposition", (lower.endsWith(".png") ? "inline" : "attachment") + "; filename=\"" + name.replace("\"", "") + "\"");
        ctx.header("Content-Length", Long.toString(Files.size(file)));
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(ctx.outputStream());
        }
    }

    static long runId(Context ctx) {
        String raw = ctx.pathParam("id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("run id must be a number, got '" + raw + "'");
        }
    }

    private static int intPath(Context ctx, String name) {
        String raw = ctx.pathParam(name);
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a number, got '" + raw + "'");
        }
    }

    static int intQuery(Context ctx, String name, int def, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return def;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < min || v > max) {
                throw ApiException.badRequest("query parameter " + name + " = " + v + " must be in [" + min + ", " + max + "]");
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter " + name + " must be a whole number, got '" + raw + "'");
        }
    }
}
