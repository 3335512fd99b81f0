package io.purifier.server.worker;

import io.purifier.server.PurifierServer;
import io.purifier.server.pipeline.ModelTrainer;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code purifier worker --server URL --run ID}: executes one run for a server (see {@link WorkerOptions#USAGE}). The
 * credential comes from {@value #TOKEN_VARIABLE}; when {@value #PARENT_VARIABLE} names the server's process, the worker
 * stops as soon as that process is gone. {@code purifier worker --standby} is the same worker started ahead of its run:
 * it loads its libraries, then reads its run from standard input ({@link StandbyAssignment}).
 */
public final class WorkerCommand {

    /** The environment variable that holds the credential. */
    public static final String TOKEN_VARIABLE = "PURIFIER_WORKER_TOKEN";
    /** The environment variable that names the process whose end ends the worker. */
    public static final String PARENT_VARIABLE = "PURIFIER_PARENT_PID";

    /** The option of a worker started ahead of its run: it warms up, then reads its run from standard input. */
    public static final String STANDBY = "--standby";

    /** The exit code when the server process that started the worker is gone. */
    static final int PARENT_GONE = 4;

    private WorkerCommand() {
    }

    /**
     * Runs the command.
     *
     * @param home    the installation (its {@code bundles/})
     * @param args    the arguments after {@code worker}
     * @param env     the environment
     * @param trainer gives the model trainer (the engine)
     * @param in      standard input (a standby worker reads its run from it)
     * @param out     where the worker's own lines go (its log)
     * @return the exit code
     * @throws IllegalArgumentException for bad usage
     */
    public static int run(Path home, List<String> args, Map<String, String> env, Supplier<ModelTrainer> trainer,
                          InputStream in, PrintStream out) throws Exception {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(WorkerOptions.USAGE);
            return 0;
        }
        WorkerOptions options;
        String token;
        if (args.equals(List.of(STANDBY))) {
            watchParent(env.get(PARENT_VARIABLE), out);
            WorkerWarmUp.nd4jInBackground();
            WorkerWarmUp.libraries();
            Optional<StandbyAssignment> assignment = StandbyAssignment.read(in, PurifierServer.objectMapper());
            if (assignment.isEmpty()) {
                return 0;
            }
            options = assignment.get().options();
            token = assignment.get().token();
        } else {
            options = WorkerOptions.parse(args);
            token = env.get(TOKEN_VARIABLE);
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("worker needs its credential in the environment variable " + TOKEN_VARIABLE);
            }
            watchParent(env.get(PARENT_VARIABLE), out);
            WorkerWarmUp.nd4jInBackground();
        }
        Files.createDirectories(options.workDir());
        return new WorkerRun(options, home, token.trim(), trainer.get(), PurifierServer.version(), PurifierServer.objectMapper(), out)
                .execute();
    }

    /** Stops this process as soon as the process {@code pid} is gone (a local worker does not outlive its server). */
    private static void watchParent(String pid, PrintStream out) {
        if (pid == null || pid.isBlank()) {
            return;
        }
        long parent;
        try {
            parent = Long.parseLong(pid.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PARENT_VARIABLE + " must be a process id, got '" + pid + "'");
        }
        Thread watcher = new Thread(() -> {
            while (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            out.println("purifier worker: the server process " + parent + " is gone; stopping");
            out.flush();
            Runtime.getRuntime().halt(PARENT_GONE);
        }, "purifier-worker-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
