package io.purifier.bench;

import io.purifier.bench.engine.EngineBenchCommand;
import io.purifier.bench.matrix.MatrixCommand;
import io.purifier.bench.server.ServerBench;
import io.purifier.bench.workers.WorkerLoadCommand;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/purifier-bench matrix|server ...} (also {@code bin/purifier bench ...} and {@code ./purifier bench ...}).
 * The installation directory comes from {@code -Dpurifier.home}.
 */
public final class BenchMain {

    /** The help text. */
    static final String USAGE = """
            Usage: purifier-bench <benchmark> [options]

              matrix [--quick] [--parallel N] [--out DIR]
                                                  attacks x defenses x models on Fashion-MNIST through the run queue,
                                                  cells submitted in parallel through the executor
              server [--repeats R] [--requests N] [--clients C] [--train-size N] [--memory-runs M]
                     [--deploy-jar NAME] [--out DIR]
                                                  server start time, hot-deploy latency, API latency while a run
                                                  trains, resident size over repeated runs
              engine [model[:param=value,...] ...] [--batches N] [--compare] [--rounds R] [--threads T] [--jit-warmup S]
                                                  engine throughput per zoo model (img/s, GFLOP/s); --compare runs
                                                  the PyTorch twin too and prints the ratio per cell
              workers [--workers N] [--step-seconds S]
                                                  N simulated workers (default 100) report runs into one server:
                                                  report and user API latency (p50/p99), server CPU, load average

            Add --help after a benchmark for its options. 'purifier bench ...' and './purifier bench ...' run the same.
            Results go to docs/benchmarks.md and docs/bench/ (./purifier bench writes them into the checkout).
            """;

    private BenchMain() {
    }

    /** Entry point; exits with 0 on success, 1 on failure, 2 on bad usage. */
    public static void main(String[] args) {
        int code;
        try {
            Path home = Path.of(System.getProperty("purifier.home", ".")).toAbsolutePath().normalize();
            code = run(List.of(args), home, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("purifier-bench: " + e.getMessage());
            code = 2;
        } catch (Exception e) {
            System.err.println("purifier-bench: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    /** Runs a benchmark; returns the exit code. */
    static int run(List<String> args, Path home, PrintStream out) throws Exception {
        if (args.isEmpty() || List.of("--help", "-h", "help").contains(args.get(0))) {
            out.print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "matrix" -> MatrixCommand.run(home, rest, out);
            case "server" -> ServerBench.command(home, rest, out);
            case "engine" -> EngineBenchCommand.run(home, rest, out);
            case "workers" -> WorkerLoadCommand.run(home, rest, out);
            default -> throw new IllegalArgumentException("unknown benchmark '" + args.get(0)
                    + "' (matrix, server, engine, workers)");
        };
    }
}
