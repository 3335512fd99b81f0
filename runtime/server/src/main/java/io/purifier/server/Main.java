package io.purifier.server;

import io.purifier.server.auth.Role;
import io.purifier.server.auth.User;
import io.purifier.server.pipeline.ModelTrainer;
import io.purifier.server.store.Database;
import io.purifier.server.store.UserStore;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The command line: {@code serve}, {@code run FILE}, {@code user add|list|revoke|token}, {@code version}; every
 * command answers {@code --help} with its usage ({@link CommandHelp}). The installation directory comes from
 * {@code -Dpurifier.home} (set by {@code bin/purifier}, which also sends {@code bench ...} to
 * {@code bin/purifier-bench}).
 */
public final class Main {

    static final String USAGE = """
            Usage: purifier <command> [options]

            Commands:
              serve [--port N] [--bind ADDRESS]   start the server (default 127.0.0.1:7171) and print its URL
              run FILE [--json]                   run one pipeline JSON file headless and print its results
              user add NAME --role ROLE           add a user (admin, researcher, viewer); prints the token once
              user list                           list users
              user revoke NAME                    revoke a user's access (all tokens)
              user token NAME                     issue another token for a user
              version                             print the version
              bench matrix|server|engine ...      benchmarks (bin/purifier-bench; see 'purifier bench --help')
              test, build                         (./purifier only) run every test, (re)build the installation

            Every command accepts --help. Settings: conf/purifier.properties, overridable with -Dpurifier.KEY=VALUE.
            """;

    private Main() {
    }

    /** Entry point; exits with 0 on success, 1 on failure, 2 on bad usage. */
    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (IllegalArgumentException e) {
            System.err.println("purifier: " + e.getMessage());
            code = 2;
        } catch (Exception e) {
            System.err.println("purifier: " + e.getMessage());
            code = 1;
        }
        if (code != -1) {
            System.exit(code);
        }
    }

    /** Runs a command; returns the exit code, or -1 when the process must keep running (serve). */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0 || isHelp(args[0])) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Path home = Path.of(System.getProperty("purifier.home", ".")).toAbsolutePath().normalize();
        String command = args[0];
        List<String> rest = List.of(args).subList(1, args.length);
        String help = CommandHelp.wanted(rest) ? CommandHelp.of(command, rest) : null;
        if (help != null) {
            out.print(help);
            return 0;
        }
        return switch (command) {
            case "serve" -> serve(home, rest, out);
            case "run" -> RunCommand.run(home, rest, out, err);
            case "user" -> user(home, rest, out);
            case "bench" -> throw new IllegalArgumentException("the benchmarks run through bin/purifier-bench "
                    + "(bin/purifier bench ... forwards to it)");
            case "version", "--version" -> {
                out.println("purifier " + PurifierServer.version());
                yield 0;
            }
            default -> throw new IllegalArgumentException("unknown command '" + command + "'; see 'purifier --help'");
        };
    }

    private static int serve(Path home, List<String> args, PrintStream out) throws Exception {
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--port" -> overrides.put("http.port", value(args, ++i, "--port"));
                case "--bind" -> overrides.put("http.bind", value(args, ++i, "--bind"));
                default -> throw new IllegalArgumentException("unknown option '" + args.get(i) + "' for serve");
            }
        }
        ServerConfig config = ServerConfig.load(home, overrides);
        PurifierServer server = PurifierServer.start(config, true, trainer());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "purifier-shutdown"));
        String host = config.bindAddress().equals("0.0.0.0") ? "localhost" : config.bindAddress();
        out.printf("Purifier %s listening on http://%s:%d/ (started in %.1f s)%n", PurifierServer.version(), host,
                server.port(), server.startupTimes().total() / 1000.0);
        out.println(server.adminTokenNote());
        out.println("data: " + config.dataDir() + "   deploy: " + config.deployDir() + "   stop: Ctrl-C");
        out.flush();
        return -1;
    }

    private static int user(Path home, List<String> args, PrintStream out) throws Exception {
        if (args.isEmpty()) {
            out.print(CommandHelp.of("user", args));
            return 2;
        }
        ServerConfig config = ServerConfig.load(home, Map.of());
        try (Database db = Database.open(config.dataDir())) {
            UserStore users = new UserStore(db);
            PurifierServer.ensureAdmin(users, config.dataDir());
            switch (args.get(0)) {
                case "add" -> {
                    if (args.size() < 2) {
                        throw new IllegalArgumentException("user add needs a NAME");
                    }
                    Role role = Role.RESEARCHER;
                    for (int i = 2; i < args.size(); i++) {
                        if (args.get(i).equals("--role")) {
                            role = Role.parse(value(args, ++i, "--role"));
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
        }
        return 0;
    }

    /** The engine's trainer, when the engine is on the class path. */
    static ModelTrainer trainer() {
        return EngineModelTrainer.create();
    }

    private static String single(List<String> args, String command) {
        if (args.size() != 2) {
            throw new IllegalArgumentException(command + " needs exactly one NAME");
        }
        return args.get(1);
    }

    static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
    }

}
