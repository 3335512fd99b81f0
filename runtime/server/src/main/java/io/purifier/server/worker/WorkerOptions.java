package io.purifier.server.worker;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The options of {@code purifier worker}.
 *
 * @param server  the server's base URL ({@code --server})
 * @param runId   the run to execute ({@code --run})
 * @param workDir the worker's working directory ({@code --work-dir}, default the current directory)
 */
public record WorkerOptions(URI server, long runId, Path workDir) {

    static final String USAGE = """
            Usage: purifier worker --server URL --run ID [--work-dir DIR]

            Executes one run for a Purifier server: fetches the run's ticket (validated pipeline, bundles, stored model,
            cache and dataset folders), checks that this installation's bundles are the server's (symbolic name, version,
            SHA-256) and downloads the deployed ones, runs the steps, and reports progress, logs, curves, metrics,
            artifacts and the final status back over the server's REST API. The server starts workers itself; run one by
            hand only to debug.

            The credential is read from the environment variable PURIFIER_WORKER_TOKEN (the run's worker credential, or
            an admin token); it is never taken from the command line.

            purifier worker --standby starts a worker ahead of its run (the server does this so the next run finds a warm
            JVM): it loads its libraries, then reads one JSON line {"server", "run", "workDir", "token"} from standard
            input and executes that run; it exits quietly when the input ends first.

            Exit codes: 0 the run's outcome was reported (whatever it is), 2 bad usage, 3 the server could not be
            reached or refused the reports, 4 the server process that started this worker is gone.
            """;

    /**
     * Parses the arguments after {@code worker}.
     *
     * @throws IllegalArgumentException naming the option that is missing, unknown or wrong
     */
    static WorkerOptions parse(List<String> args) {
        URI server = null;
        Long run = null;
        Path workDir = Path.of(".");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--server" -> server = url(value(args, ++i, a));
                case "--run" -> run = runId(value(args, ++i, a));
                case "--work-dir" -> workDir = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "' for worker (see 'purifier worker --help')");
            }
        }
        if (server == null) {
            throw new IllegalArgumentException("worker needs --server URL (the server's base URL, e.g. http://127.0.0.1:7171)");
        }
        if (run == null) {
            throw new IllegalArgumentException("worker needs --run ID (the run to execute)");
        }
        return new WorkerOptions(server, run, workDir.toAbsolutePath().normalize());
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static URI url(String text) {
        try {
            URI uri = URI.create(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("--server must be an http(s) URL such as http://127.0.0.1:7171, got '" + text + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("--server")) {
                throw e;
            }
            throw new IllegalArgumentException("--server must be an http(s) URL such as http://127.0.0.1:7171, got '" + text + "'");
        }
    }

    private static long runId(String text) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException("--run must be a run id (a positive number), got '" + text + "'");
    }
}
