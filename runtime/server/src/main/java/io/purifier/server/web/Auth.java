package io.purifier.server.web;

import io.javalin.http.Context;
import io.purifier.server.auth.Role;
import io.purifier.server.auth.User;
import io.purifier.server.store.UserStore;

/**
 * Bearer-token authentication: every {@code /api} request but {@code /api/health} needs a valid token in
 * {@code Authorization: Bearer …} (or, for GET requests such as SSE streams and downloads that browsers cannot
 * give headers, a {@code token} query parameter). Handlers then require a role with {@link #require}.
 */
final class Auth {

    private static final String USER = "purifier.user";

    private Auth() {
    }

    /** The before-filter: resolves the user or answers 401. */
    static void authenticate(Context ctx, UserStore users) {
        String path = ctx.path();
        if (!path.startsWith("/api/") || path.equals("/api/health")) {
            return;
        }
        String header = ctx.header("Authorization");
        String token = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        } else if ("GET".equals(ctx.method().name())) {
            token = ctx.queryParam("token");
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
