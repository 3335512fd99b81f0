package io.purifier.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.purifier.server.auth.Role;
import io.purifier.server.store.UserStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Users and tokens: {@code /api/me} for everyone, {@code /api/users} for admins. */
final class UserEndpoints implements Endpoints {

    /** The body of user creation. */
    record NewUser(String name, String role) {
    }

    private final UserStore users;
    private final ObjectMapper json;

    UserEndpoints(UserStore users, ObjectMapper json) {
        this.users = users;
        this.json = json;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/me", ctx -> {
            var user = Auth.user(ctx);
            ctx.json(Map.of("name", user.name(), "role", user.role().jsonName()));
        });
        app.get("/api/users", ctx -> {
            Auth.require(ctx, Role.ADMIN);
            ctx.json(users.list());
        });
        app.post("/api/users", this::add);
        app.delete("/api/users/{name}", ctx -> {
            Auth.require(ctx, Role.ADMIN);
            String name = ctx.pathParam("name");
            badRequestOn(() -> {
                users.revoke(name);
                return null;
            });
            ctx.status(204);
        });
        app.post("/api/users/{name}/tokens", ctx -> {
            Auth.require(ctx, Role.ADMIN);
            String token = badRequestOn(() -> users.issueToken(ctx.pathParam("name")));
            ctx.status(201).json(Map.of("name", ctx.pathParam("name"), "token", token));
        });
    }

    private void add(Context ctx) {
        Auth.require(ctx, Role.ADMIN);
        NewUser body = JsonBodies.read(ctx, json, NewUser.class);
        Role role = badRequestOn(() -> Role.parse(body.role() == null ? "researcher" : body.role()));
        String token = badRequestOn(() -> users.add(body.name(), role));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", body.name());
        out.put("role", role.jsonName());
        out.put("token", token);
        ctx.status(201).json(out);
    }

    /** Runs {@code call}, turning the store's {@link IllegalArgumentException} (bad or unknown name) into a 400. */
    private static <T> T badRequestOn(Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
