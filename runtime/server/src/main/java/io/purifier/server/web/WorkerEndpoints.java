package io.purifier.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.purifier.server.dispatch.WorkerReports;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The worker protocol (see {@code docs/api.md}): a worker fetches its run's ticket, the deployed bundles and the
 * stored model, reports batches of events, uploads artifacts, and sends the final status. Every call needs the run's
 * worker credential (or an admin token), and a credential works only for its own run.
 */
final class WorkerEndpoints implements Endpoints {

    private static final String RUN = "/api/worker/runs/{id}";

    private final WorkerReports reports;
    private final ObjectMapper json;

    WorkerEndpoints(WorkerReports reports, ObjectMapper json) {
        this.reports = reports;
        this.json = json;
    }

    @Override
    public void register(Javalin app) {
        app.get(RUN + "/ticket", ctx -> ctx.json(reports().ticket(run(ctx))));
        app.get(RUN + "/bundles/{symbolicName}", this::bundle);
        app.get(RUN + "/model", this::model);
        app.post(RUN + "/events", ctx -> {
            long id = run(ctx);
            ctx.json(reports().events(id, JsonBodies.read(ctx, json, JsonNode.class)));
        });
        app.put(RUN + "/artifacts/{step}/<name>", this::artifact);
        app.post(RUN + "/finish", ctx -> {
            long id = run(ctx);
            reports().finish(id, JsonBodies.read(ctx, json, JsonNode.class));
            ctx.json(java.util.Map.of("id", id, "finished", true));
        });
    }

    private WorkerReports reports() {
        return reports;
    }

    /** The run id of the path, checked against the caller's credential. */
    private static long run(Context ctx) {
        long id = RunEndpoints.runId(ctx);
        Auth.requireWorker(ctx, id);
        return id;
    }

    private void bundle(Context ctx) throws Exception {
        long id = run(ctx);
        String bsn = ctx.pathParam("symbolicName");
        Path jar = reports().bundleJar(id, bsn)
                .orElseThrow(() -> ApiException.notFound("no deployed bundle named '" + bsn + "' in this server"));
        send(ctx, jar, "application/java-archive");
    }

    private void model(Context ctx) throws Exception {
        long id = run(ctx);
        Path file = reports().modelFile(id)
                .orElseThrow(() -> ApiException.notFound("run " + id + " does not start from a stored model, or its file is gone"));
        send(ctx, file, "application/octet-stream");
    }

    private void artifact(Context ctx) throws Exception {
        long id = run(ctx);
        int step;
        try {
            step = Integer.parseInt(ctx.pathParam("step"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("step must be a number, got '" + ctx.pathParam("step") + "'");
        }
        try (InputStream in = ctx.bodyInputStream()) {
            reports().artifact(id, step, ctx.pathParam("name"), in);
        }
        ctx.status(201).json(java.util.Map.of("id", id, "step", step, "name", ctx.pathParam("name")));
    }

    private static void send(Context ctx, Path file, String type) throws Exception {
        ctx.contentType(type);
        ctx.header("Content-Length", Long.toString(Files.size(file)));
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(ctx.outputStream());
        }
    }
}
