package io.purifier.bench.server;

import java.nio.file.Path;
import java.util.List;

/**
 * The settings of {@code purifier-bench server}.
 *
 * @param repeats    hot-deploy cycles (each: deploy/ copy, delete, upload, HTTP removal)
 * @param requests   API requests per latency measurement (idle and while training)
 * @param clients    concurrent HTTP clients issuing them
 * @param trainSize  Fashion-MNIST training images of the run that trains while the API is measured
 * @param memoryRuns runs of the tiny BadNets pipeline after which the server's resident size is read
 * @param deployJar  the built-in bundle (a jar file name in bundles/, or its start, e.g. {@code defense-bcu}) left
 *                   out of the temporary installation and hot-deployed instead
 * @param outDir     where {@code bench/server.{md,json}} and {@code benchmarks.md} are written
 */
public record ServerBenchOptions(int repeats, int requests, int clients, int trainSize, int memoryRuns, String deployJar,
                                 Path outDir) {

    /** Default hot-deploy cycles. */
    public static final int DEFAULT_REPEATS = 5;
    /** Default API requests per measurement. */
    public static final int DEFAULT_REQUESTS = 500;
    /** Default concurrent clients. */
    public static final int DEFAULT_CLIENTS = 4;
    /** Default training images (about 1–2 minutes of small-CNN training on 2 cores). */
    public static final int DEFAULT_TRAIN_SIZE = 12_000;
    /** Default runs of the memory measurement. */
    public static final int DEFAULT_MEMORY_RUNS = 5;
    /** Default hot-deployed bundle. */
    public static final String DEFAULT_DEPLOY_JAR = "defense-bcu";

    /** The command's help text. */
    public static final String USAGE = """
            Usage: purifier-bench server [--repeats R] [--requests N] [--clients C] [--train-size N]
                                         [--memory-runs M] [--deploy-jar NAME] [--out DIR]

            Measures the server in a temporary copy of this installation (its conf/ and bundles/, an empty deploy/ and
            its own data directory; the real history is not touched), with HTTP on an ephemeral loopback port:
              start time      JVM start -> GET /api/health answers 200, and start call -> 200
              hot deploy      R cycles: jar moved into deploy/ -> listed by GET /api/components, deleted -> gone,
                              POST /api/bundles -> listed, DELETE /api/bundles/{bsn} -> gone (median, max)
              API latency     N requests round-robin over /api/health, /api/components, /api/runs, /api/runs/{id}
                              from C concurrent clients, once idle and once while a small CNN trains on Fashion-MNIST
                              (p50/p95/p99/max per endpoint); the training run must succeed
              memory          M runs of the tiny BadNets pipeline (Fashion-MNIST 300/100 images, small CNN, 1 epoch;
                              the attacked model is cached after the first) one after another; the resident size of
                              this JVM (the server and the measuring clients; runs execute in worker processes) after
                              each, and its growth from the first to the last (target: within 10 %); every run must
                              succeed
            Writes DIR/bench/server.md, DIR/bench/server.json and the 'server' section of DIR/benchmarks.md.

              --repeats R       hot-deploy cycles, 1..100 (default 5)
              --requests N      requests per latency measurement, 4..1000000 (default 500)
              --clients C       concurrent clients, 1..64 (default 4)
              --train-size N    training images of the run, 100..60000 (default 12000; 1 epoch)
              --memory-runs M   runs of the memory measurement, 2..100 (default 5)
              --deploy-jar NAME built-in bundle jar (file name or its start) to hot-deploy (default defense-bcu)
              --out DIR         output directory (default: docs under the installation)
            """;

    /** Checks the ranges. */
    public ServerBenchOptions {
        check("--repeats", repeats, 1, 100);
        check("--requests", requests, 4, 1_000_000);
        check("--clients", clients, 1, 64);
        check("--train-size", trainSize, 100, 60_000);
        check("--memory-runs", memoryRuns, 2, 100);
        if (deployJar == null || deployJar.isBlank()) {
            throw new IllegalArgumentException("--deploy-jar needs a jar name");
        }
        if (outDir == null) {
            throw new IllegalArgumentException("--out needs a directory");
        }
    }

    /** The defaults, writing under {@code outDir}. */
    public static ServerBenchOptions defaults(Path outDir) {
        return new ServerBenchOptions(DEFAULT_REPEATS, DEFAULT_REQUESTS, DEFAULT_CLIENTS, DEFAULT_TRAIN_SIZE,
                DEFAULT_MEMORY_RUNS, DEFAULT_DEPLOY_JAR, outDir);
    }

    /**
     * Parses the options after {@code bench server} ({@code --help} is handled by the caller).
     *
     * @param args       the options
     * @param defaultOut the output directory when {@code --out} is absent
     * @throws IllegalArgumentException naming the option and the bad value
     */
    public static ServerBenchOptions parse(List<String> args, Path defaultOut) {
        int repeats = DEFAULT_REPEATS;
        int requests = DEFAULT_REQUESTS;
        int clients = DEFAULT_CLIENTS;
        int trainSize = DEFAULT_TRAIN_SIZE;
        int memoryRuns = DEFAULT_MEMORY_RUNS;
        String jar = DEFAULT_DEPLOY_JAR;
        Path out = defaultOut;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--repeats" -> repeats = number(args, ++i, option);
                case "--requests" -> requests = number(args, ++i, option);
                case "--clients" -> clients = number(args, ++i, option);
                case "--train-size" -> trainSize = number(args, ++i, option);
                case "--memory-runs" -> memoryRuns = number(args, ++i, option);
                case "--deploy-jar" -> jar = value(args, ++i, option);
                case "--out" -> out = Path.of(value(args, ++i, option));
                default -> throw new IllegalArgumentException("unknown option '" + option + "' for bench server");
            }
        }
        return new ServerBenchOptions(repeats, requests, clients, trainSize, memoryRuns, jar, out);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int number(List<String> args, int i, String option) {
        String raw = value(args, i, option);
        try {
            return Integer.parseInt(raw.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + raw + "'");
        }
    }

    private static void check(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
