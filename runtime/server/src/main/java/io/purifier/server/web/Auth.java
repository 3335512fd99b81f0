package io.purifier.server.web;

import io.javalin.http.Context;
import io.purifier.server.auth.Role;
import io.purifier.server.auth.User;
import io.purifier.server.store.UserStore;
import io.purifier.server.store.WorkerTokenStore;

import java.time.Instant;

/**
 * Bearer-token authentication: every {@code /api} request but {@code /api/health} needs a valid token in
 * {@code Authorization: Bearer …}. Only the GET requests that browsers cannot give headers to (the SSE streams
 * {@code /api/events} and {@code /api/runs/{id}/events}, and artifact downloads) may pass it as a {@code token}
 * query parameter instead. Handlers then require a role with {@link #require}.
 *
 * <p>The worker endpoints ({@code /api/worker/…}) take the run's worker credential in the header, valid for its own
 * run only ({@link #requireWorker}); an admin's token is accepted there too (admins may already deploy code, and it
 * lets an admin run a worker by hand), any other user's token is refused with 403.</p>
 */
final class Auth {

    private static final String USER = "purifier.user";
    private static final String WORKER_RUN = "purifier.workerRun";
    private static final String WORKER_PATHS = "/api/worker/";
    private static final java.util.regex.Pattern TOKEN_IN_QUERY = java.util.regex.Pattern.compile(
            "/api/events|/api/runs/[^/]+/events|/api/runs/[^/]+/artifacts/[^/]+/[^/]+");

    private Auth() {
    }

    /** The before-filter: resolves the user (or the worker credential on worker paths) or answers 401. */
    static void authenticate(Context ctx, UserStore users, WorkerTokenStore workers) {
        String path = ctx.path();
        if (!path.startsWith("/api/") || path.equals("/api/health")) {
            return;
        }
        String header = ctx.header("Authorization");
        String token = null;
        boolean workerPath = path.startsWith(WORKER_PATHS);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        } else if (ctx.queryParam("token") != null) {
            if (!"GET".equals(ctx.method().name()) || !TOKEN_IN_QUERY.matcher(path).matches()) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new ApiException(401, "a token in the query string is accepted only for event streams and artifact "
                        + "downloads; send 'Authorization: Bearer <token>'");
            }
            token = ctx.queryParam("token");
        }
        if (workerPath && token != null && token.startsWith(WorkerTokenStore.PREFIX)) {
            WorkerTokenStore.Grant grant = workers.find(token).orElseThrow(() -> {
                ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                return new ApiException(401, "the worker credential is unknown or was revoked (its run has ended)");
            });
            if (grant.expiredAt(Instant.now())) {
                ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                throw new ApiException(401, "the worker credential of run " + grant.runId() + " expired at " + grant.expiresAt());
            }
            ctx.attribute(WORKER_RUN, grant.runId());
            return;
        }
        if (token == null || token.isBlank()) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "authentication required: send 'Authorization: Bearer <token>' "
                    + "(the first admin token is in the data directory's admin-token file)");
        }
        User user = users.authenticate(token).orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return new ApiException(401, "the token is unknown or was revoked");
        });
        ctx.attribute(USER, user);
    }

    /** The authenticated user of this request. */
    static User user(Context ctx) {
        User user = ctx.attribute(USER);
        if (user == null) {
            throw new ApiException(401, "authentication required");
        }
        return user;
    }

    /**
     * Checks that the caller may report for run {@code runId}: its worker credential is for that run, or it is an
     * admin; 403 otherwise.
     */
    static void requireWorker(Context ctx, long runId) {
        Long granted = ctx.attribute(WORKER_RUN);
        if (granted != null) {
            if (granted != runId) {
                throw new ApiException(403, "this worker credential is for run " + granted + "; it cannot act for run " + runId);
            }
            return;
        }
        User user = user(ctx);
        if (!user.role().includes(Role.ADMIN)) {
            throw new ApiException(403, "the worker endpoints take the run's worker credential (or an admin's token); user '"
                    + user.name() + "' is a " + user.role().jsonName());
        }
    }

    /** The user, checked to have at least {@code role}; 403 otherwise. */
    static User require(Context ctx, Role role) {
        User user = user(ctx);
        if (!user.role().includes(role)) {
            throw new ApiException(403, "this needs the " + role.jsonName() + " role; user '" + user.name()
                    + "' is a " + user.role().jsonName());
        }
        return user;
    }
}
