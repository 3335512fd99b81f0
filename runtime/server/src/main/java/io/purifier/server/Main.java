package io.purifier.server;

import io.purifier.server.inspect.BundleCheckCommand;
import io.purifier.server.inspect.InspectModelCommand;
import io.purifier.server.pipeline.ModelTrainer;
import io.purifier.server.worker.WorkerCommand;

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
              worker --server URL --run ID        execute one run for a server (the server starts workers itself)
              version                             print the version
              worker --inspect-model FILE --format ID [--params JSON] | worker --check-bundle JAR
                                                  check an uploaded model file or bundle in this process and print
                                                  the result as JSON (the server does this in a child process)
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
            case "user" -> UserCommand.run(home, rest, out);
            case "worker" -> worker(home, rest, out);
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
            ServerFile.remove(config.dataDir(), PurifierServer.objectMapper());
            server.close();
            stopped.countDown();
        }, "purifier-shutdown"));
        ServerFile.write(config.dataDir(), PurifierServer.serverUrl(config.bindAddress(), server.port()), PurifierServer.objectMapper());
        String host = config.bindAddress().equals("0.0.0.0") ? "localhost" : config.bindAddress();
        out.printf("Purifier %s listening on http://%s:%d/ (started in %.1f s)%n", PurifierServer.version(), host,
                server.port(), server.startupTimes().total() / 1000.0);
        out.println(server.adminTokenNote());
        out.println("data: " + config.dataDir() + "   deploy: " + config.deployDir() + "   stop: Ctrl-C");
        out.flush();
        return -1;
    }

    /** A worker process: a run for a server, or a check of an uploaded model file or bundle. */
    private static int worker(Path home, List<String> args, PrintStream out) throws Exception {
        if (InspectModelCommand.handles(args)) {
            return InspectModelCommand.runAsProcess(home, args);
        }
        if (BundleCheckCommand.handles(args)) {
            return BundleCheckCommand.runAsProcess(home, args);
        }
        return WorkerCommand.run(home, args, System.getenv(), Main::trainer, System.in, out);
    }

    /** The engine's trainer, when the engine is on the class path. */
    static ModelTrainer trainer() {
        return EngineModelTrainer.create();
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
