package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.server.auth.Role;
import io.purifier.server.auth.User;
import io.purifier.server.store.DataDirectory;
import io.purifier.server.store.Database;
import io.purifier.server.store.UserStore;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code purifier user add|list|revoke|token}. The database belongs to one process at a time: when no server runs,
 * the command opens it directly; when a server holds it (its file lock, then {@code data/server.json} to find it),
 * the command asks that server over HTTP with an admin token ({@code PURIFIER_TOKEN}, else the data directory's
 * {@code admin-token} file).
 */
final class UserCommand {

    /** What the command does, whichever way it reaches the users. */
    interface Users {
        String add(String name, Role role) throws Exception;

        List<User> list() throws Exception;

        void revoke(String name) throws Exception;

        String issueToken(String name) throws Exception;
    }

    private UserCommand() {
    }

    static int run(Path home, List<String> args, PrintStream out) throws Exception {
        if (args.isEmpty()) {
            out.print(CommandHelp.of("user", args));
            return 2;
        }
        ServerConfig config = ServerConfig.load(home, Map.of());
        Database db;
        try {
            DataDirectory.secure(config.dataDir());
            db = Database.open(config.dataDir());
        } catch (Database.InUseException e) {
            ServerFile.Running server = ServerFile.find(config.dataDir(), PurifierServer.objectMapper()).orElseThrow(() -> new IllegalStateException(
                    e.getMessage() + ", and no server is listening for it (a 'purifier run' holds it?); try again when it ends"));
            return execute(args, new Remote(server.url().toString(), adminToken(config.dataDir())), out);
        }
        try (db) {
            UserStore users = new UserStore(db);
            PurifierServer.ensureAdmin(users, config.dataDir());
            return execute(args, new Local(users), out);
        }
    }

    static int execute(List<String> args, Users users, PrintStream out) throws Exception {
        switch (args.get(0)) {
            case "add" -> {
                if (args.size() < 2) {
                    throw new IllegalArgumentException("user add needs a NAME");
                }
                Role role = Role.RESEARCHER;
                for (int i = 2; i < args.size(); i++) {
                    if (args.get(i).equals("--role")) {
                        role = Role.parse(Main.value(args, ++i, "--role"));
                    } else {
                        throw new IllegalArgumentException("unknown option '" + args.get(i) + "' for user add");
                    }
                }
                String token = users.add(args.get(1), role);
                out.println("added " + role.jsonName() + " '" + args.get(1) + "'. Token (shown only now):");
                out.println(token);
            }
            case "list" -> {
                out.printf("%-24s %-11s %-26s %s%n", "NAME", "ROLE", "CREATED", "STATUS");
                for (User u : users.list()) {
                    out.printf("%-24s %-11s %-26s %s%n", u.name(), u.role().jsonName(), u.createdAt(),
                            u.active() ? "active" : "revoked " + u.revokedAt());
                }
            }
            case "revoke" -> {
                users.revoke(single(args, "user revoke"));
                out.println("revoked '" + args.get(1) + "': its tokens no longer work");
            }
            case "token" -> {
                String token = users.issueToken(single(args, "user token"));
                out.println("new token for '" + args.get(1) + "' (shown only now):");
                out.println(token);
            }
            default -> throw new IllegalArgumentException("unknown user command '" + args.get(0) + "' (add, list, revoke, token)");
        }
        return 0;
    }

    private static String single(List<String> args, String command) {
        if (args.size() != 2) {
            throw new IllegalArgumentException(command + " needs exactly one NAME");
        }
        return args.get(1);
    }

    private static String adminToken(Path dataDir) throws IOException {
        String env = System.getenv("PURIFIER_TOKEN");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        Path file = dataDir.resolve(PurifierServer.ADMIN_TOKEN_FILE);
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("the server is running; to manage users through it, set PURIFIER_TOKEN to an "
                    + "admin token (" + file + " is missing)");
        }
        return Files.readString(file).trim();
    }

    /** Users in the database this process opened. */
    private record Local(UserStore store) implements Users {
        public String add(String name, Role role) {
            return store.add(name, role);
        }

        public List<User> list() {
            return store.list();
        }

        public void revoke(String name) {
            store.revoke(name);
        }

        public String issueToken(String name) {
            return store.issueToken(name);
        }
    }

    /** Users managed by the running server over its API. */
    static final class Remote implements Users {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final ObjectMapper json = PurifierServer.objectMapper();
        private final String base;
        private final String token;

        Remote(String base, String token) {
            this.base = base;
            this.token = token;
        }

        public String add(String name, Role role) throws Exception {
            String body = json.createObjectNode().put("name", name).put("role", role.jsonName()).toString();
            return call("POST", "/api/users", body).path("token").asText();
        }

        public List<User> list() throws Exception {
            return List.of(json.treeToValue(call("GET", "/api/users", null), User[].class));
        }

        public void revoke(String name) throws Exception {
            call("DELETE", "/api/users/" + encode(name), null);
        }

        public String issueToken(String name) throws Exception {
            return call("POST", "/api/users/" + encode(name) + "/tokens", "").path("token").asText();
        }

        private JsonNode call(String method, String path, String body) throws Exception {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode node = res.body() == null || res.body().isBlank() ? json.createObjectNode() : json.readTree(res.body());
            if (res.statusCode() >= 400) {
                String error = node.path("error").asText("HTTP " + res.statusCode());
                if (res.statusCode() == 400 || res.statusCode() == 404) {
                    throw new IllegalArgumentException(error);
                }
                throw new IllegalStateException("the server at " + base + " answered " + res.statusCode() + ": " + error);
            }
            return node;
        }

        private static String encode(String name) {
            return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
