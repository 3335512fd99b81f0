package io.purifier.server.web;

import io.javalin.Javalin;
import io.purifier.server.auth.Role;
import io.purifier.server.pipeline.PipelineSchema;

/**
 * {@code GET /api/pipelines/schema}: the JSON Schema of the pipeline format (also {@code docs/pipeline.schema.json}),
 * for the web UI and for editors. Registered before the saved pipelines' {@code /api/pipelines/{id}}, which would
 * otherwise take {@code schema} for an id.
 */
final class PipelineSchemaEndpoint {

    /** The media type of JSON Schema documents. */
    static final String MEDIA_TYPE = "application/schema+json; charset=utf-8";

    void register(Javalin app) {
        app.get("/api/pipelines/schema", ctx -> {
            Auth.require(ctx, Role.VIEWER);
            ctx.contentType(MEDIA_TYPE).result(PipelineSchema.text());
        });
    }
}
