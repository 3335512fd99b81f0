package io.purifier.server.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.purifier.api.InvalidInputException;
import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamProblem;
import io.purifier.server.dispatch.RunNotActiveException;
import io.purifier.server.osgi.BundleDeployer;
import io.purifier.server.pipeline.PipelineInvalidException;
import io.purifier.server.pipeline.RunService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP server: REST under {@code /api}, server-sent events, and the web UI from the class path. Errors are
 * typed JSON ({@code {"status", "error", "problems"?}}); no stack trace ever reaches a client, and bad input is
 * never a 500.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private final Javalin app;
    private final EventStreams streams;

    private WebServer(Javalin app, EventStreams streams) {
        this.app = app;
        this.streams = streams;
    }

    /** Starts the server on the configured address and port (0 = any free port). */
    public static WebServer start(Services s) {
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(s.json(), false));
            cfg.http.maxRequestSize = JsonBodies.MAX_JSON_BYTES;
            cfg.jetty.multipartConfig.maxFileSize(s.config().maxUploadBytes(), io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(s.config().maxUploadBytes() + 1024 * 1024, io.javalin.config.SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
            if (WebServer.class.getResource("/public/index.html") != null) {
                cfg.staticFiles.add(sf -> {
                    sf.hostedPath = "/";
                    sf.directory = "/public";
                    sf.location = Location.CLASSPATH;
                });
            } else {
                LOG.warn("the web UI is not on the class path (no /public/index.html); serving the API only");
            }
        });
        app.before(SecurityHeaders::apply);
        app.before(ctx -> Auth.authenticate(ctx, s.users(), s.workerTokens()));
        ServerPaths paths = new ServerPaths(s.config().home(), s.config().dataDir());
        Uploads.Limits uploads = new Uploads.Limits(s.config().dataDir().resolve("tmp"), s.config().maxUploadBytes());
        EventStreams streams = new EventStreams(s.events(), s.registry(), s.users(), s.runStore(), s.json(), paths);
        List<Endpoints> endpoints = List.of(
                new HealthEndpoints(s.version(), s.startedAt(), s.runs()),
                new UserEndpoints(s.users(), s.json()),
                new ComponentEndpoints(s.registry(), s.trainer()),
                new BundleEndpoints(s.deployer(), uploads),
                new ModelEndpoints(s.registry(), s.models(), s.inspector(), s.json(), uploads),
                new PipelineSchemaEndpoint(),
                new PipelineEndpoints(s.pipelines(), s.runs(), s.json()),
                new RunEndpoints(s.runs(), s.runStore(), s.json(), s.config().dataDir(), paths),
                new CacheEndpoints(s.cache(), s.trainer()),
                new WorkerEndpoints(s.workers(), s.json()),
                streams);
        endpoints.forEach(e -> e.register(app));
        registerErrors(app, paths);
        app.start(s.config().bindAddress(), s.config().port());
        return new WebServer(app, streams);
    }

    private static void registerErrors(Javalin app, ServerPaths paths) {
        app.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), paths.scrub(e.getMessage()), null));
        app.exception(PipelineInvalidException.class, (e, ctx) -> error(ctx, 400, paths.scrub(e.getMessage()), scrub(e.problems(), paths)));
        app.exception(InvalidParametersException.class, (e, ctx) -> error(ctx, 400, paths.scrub(e.getMessage()), scrub(e.problems(), paths)));
        app.exception(InvalidInputException.class, (e, ctx) -> error(ctx, 400, paths.scrub(e.getMessage()), null));
        app.exception(BundleDeployer.ConflictException.class, (e, ctx) -> error(ctx, 409, paths.scrub(e.getMessage()), null));
        app.exception(RunService.QueueFullException.class, (e, ctx) -> error(ctx, 503, paths.scrub(e.getMessage()), null));
        app.exception(RunNotActiveException.class, (e, ctx) -> error(ctx, 409, paths.scrub(e.getMessage()), null));
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), paths.scrub(e.getMessage()), null));
        app.exception(Exception.class, (e, ctx) -> {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("internal error {} on {} {}", reference, ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal server error (reference " + reference + " in the server log)", null);
        });
        app.error(404, ctx -> {
            if (ctx.path().startsWith("/api/") && !"application/json".equals(ctx.res().getContentType())) {
                error(ctx, 404, "no endpoint " + ctx.method() + " " + ctx.path(), null);
            }
        });
        app.error(405, ctx -> error(ctx, 405, "method " + ctx.method() + " is not allowed on " + ctx.path(), null));
    }

    private static List<ParamProblem> scrub(List<ParamProblem> problems, ServerPaths paths) {
        return problems == null ? null : problems.stream().map(p -> new ParamProblem(p.parameter(),
                p.value() instanceof String v ? paths.scrub(v) : p.value(), paths.scrub(p.message()))).toList();
    }

    private static void error(Context ctx, int status, String message, List<ParamProblem> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        if (problems != null) {
            body.put("problems", problems);
        }
        ctx.status(status).json(body);
    }

    /** The port actually bound. */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        streams.close();
        app.stop();
    }
}
