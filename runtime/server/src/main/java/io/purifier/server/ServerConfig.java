package io.purifier.server;

import io.purifier.server.executor.ExecutorSettings;
import io.purifier.server.executor.SlurmSettings;
import io.purifier.server.inspect.ModelInspector;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The server's settings: read from {@code conf/purifier.properties} under the home directory, then overridden by
 * {@code purifier.*} system properties and command-line options. Every value is checked at start with a message
 * that names the key.
 *
 * @param home              installation directory (holds bundles/, deploy/, conf/)
 * @param dataDir           H2 database, artifacts, models, caches
 * @param bindAddress       address to bind (127.0.0.1 unless configured)
 * @param port              HTTP port; 0 picks a free one
 * @param queueCapacity     runs that may wait in the queue
 * @param stepTimeout       default time limit of one pipeline step
 * @param maxUploadBytes    largest accepted upload (bundles, models)
 * @param dataRoots         directories users may point datasets and trigger images at
 * @param fileInstallPollMs how often deploy/ is scanned
 * @param cacheDir          the attack-once cache (a shared folder when workers run on other machines)
 * @param executor          how runs are executed (worker processes, their limits)
 * @param modelInspection   limits of the child process that checks an uploaded model file
 * @param bundleCheck       time limit of the child process that dry-runs an uploaded bundle
 * @param trainingCheckpoints {@code training.checkpointMinutes}: least time between two checkpoints of a zoo training
 *                          (0: after every epoch), or null ({@code off}) to keep none
 */
public record ServerConfig(Path home, Path dataDir, String bindAddress, int port,
                           int queueCapacity, Duration stepTimeout, long maxUploadBytes, List<Path> dataRoots,
                           long fileInstallPollMs, Path cacheDir, ExecutorSettings executor,
                           ModelInspector.Limits modelInspection, Duration bundleCheck, Duration trainingCheckpoints) {

    /** The bundles started at boot. */
    public Path bundlesDir() {
        return home.resolve("bundles");
    }

    /** The watched hot-deploy directory. */
    public Path deployDir() {
        return home.resolve("deploy");
    }

    /** The root of the Felix framework caches (one per process below it, see {@code FelixCaches}). */
    public Path felixCache() {
        return dataDir.resolve("felix-cache");
    }

    /** These settings with HTTP on {@code bind}:{@code port} instead. */
    public ServerConfig withHttp(String bind, int httpPort) {
        return new ServerConfig(home, dataDir, bind, httpPort, queueCapacity, stepTimeout, maxUploadBytes, dataRoots,
                fileInstallPollMs, cacheDir, executor, modelInspection, bundleCheck, trainingCheckpoints);
    }

    /** Loads {@code home/conf/purifier.properties} (if present) and applies {@code overrides} (same keys). */
    public static ServerConfig load(Path home, Map<String, String> overrides) {
        Properties props = new Properties();
        Path file = home.resolve("conf").resolve("purifier.properties");
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("purifier.") && !key.equals("purifier.home")) {
                props.setProperty(key.substring("purifier.".length()), System.getProperty(key));
            }
        }
        overrides.forEach(props::setProperty);
        return from(home, props);
    }

    static ServerConfig from(Path home, Properties p) {
        Path absoluteHome = home.toAbsolutePath().normalize();
        Path data = resolve(absoluteHome, p.getProperty("data.dir", "data"));
        List<Path> roots = new ArrayList<>();
        for (String root : p.getProperty("data.roots", "data/datasets,conf/datasets,/usr/share/datasets").split(",")) {
            if (!root.isBlank()) {
                roots.add(resolve(absoluteHome, root.trim()));
            }
        }
        String cache = p.getProperty("cache.dir");
        return new ServerConfig(absoluteHome, data,
                p.getProperty("http.bind", "127.0.0.1").trim(),
                intValue(p, "http.port", 7171, 0, 65535),
                intValue(p, "runs.queue", 100, 1, 100_000),
                Duration.ofSeconds(intValue(p, "runs.stepTimeoutSeconds", 6 * 3600, 1, Integer.MAX_VALUE)),
                (long) intValue(p, "http.maxUploadMegabytes", 512, 1, 100_000) * 1024 * 1024,
                List.copyOf(roots),
                intValue(p, "deploy.pollMillis", 500, 50, 60_000),
                cache == null || cache.isBlank() ? data.resolve("cache") : resolve(absoluteHome, cache),
                executor(p, absoluteHome, data),
                new ModelInspector.Limits(Duration.ofSeconds(intValue(p, "models.inspect.timeoutSeconds", 60, 5, 3600)),
                        (long) intValue(p, "models.inspect.heapMegabytes", 1024, 64, 65_536) << 20,
                        (long) intValue(p, "models.inspect.offHeapMegabytes", 1024, 64, 1_048_576) << 20,
                        intValue(p, "models.inspect.concurrent", 2, 1, 64)),
                Duration.ofSeconds(intValue(p, "bundles.check.timeoutSeconds", 30, 5, 3600)),
                trainingCheckpoints(p));
    }

    /** {@code training.checkpointMinutes}: minutes (default 5, 0 = after every epoch) or {@code off}. */
    private static Duration trainingCheckpoints(Properties p) {
        String raw = p.getProperty("training.checkpointMinutes");
        if (raw != null && raw.trim().equalsIgnoreCase("off")) {
            return null;
        }
        if (raw != null && !raw.isBlank() && !raw.trim().matches("-?\\d+")) {
            throw new IllegalArgumentException("setting training.checkpointMinutes = '" + raw
                    + "' is neither a whole number of minutes nor 'off'");
        }
        return Duration.ofMinutes(intValue(p, "training.checkpointMinutes", 5, 0, 7 * 24 * 60));
    }

    /** The executor settings; {@code runs.threads} is the older name of {@code executor.local.slots}. */
    private static ExecutorSettings executor(Properties p, Path home, Path data) {
        int oldSlots = intValue(p, "runs.threads", 1, 1, 64);
        String localJvm = p.getProperty("executor.local.jvmOptions", ExecutorSettings.DEFAULT_WORKER_JVM);
        return new ExecutorSettings(p.getProperty("executor", ExecutorSettings.LOCAL).trim(),
                intValue(p, "executor.local.slots", oldSlots, 1, 64),
                ExecutorSettings.splitOptions(localJvm),
                Duration.ofSeconds(intValue(p, "executor.cancelGraceSeconds", 30, 1, 3600)),
                Duration.ofSeconds(intValue(p, "executor.heartbeatTimeoutSeconds", 120, 10, 86_400)),
                slurm(p, home, data, localJvm));
    }

    /** The Slurm executor's settings ({@code executor.slurm.*}). */
    private static SlurmSettings slurm(Properties p, Path home, Path data, String localJvm) {
        String jobs = p.getProperty("executor.slurm.jobsDir");
        String url = p.getProperty("executor.slurm.serverUrl");
        URI serverUrl;
        try {
            serverUrl = url == null || url.isBlank() ? null : new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("setting executor.slurm.serverUrl = '" + url + "' is not a URL");
        }
        return new SlurmSettings(intValue(p, "executor.slurm.maxJobs", 100, 1, 100_000),
                p.getProperty("executor.slurm.partition", ""),
                intValue(p, "executor.slurm.cpus", 2, 1, 1024),
                intValue(p, "executor.slurm.memoryMegabytes", 8192, 256, 16_777_216),
                Duration.ofMinutes(intValue(p, "executor.slurm.timeLimitMinutes", 0, 0, 525_600)),
                ExecutorSettings.splitOptions(p.getProperty("executor.slurm.jvmOptions", localJvm)),
                ExecutorSettings.splitOptions(p.getProperty("executor.slurm.sbatchArgs", "")),
                jobs == null || jobs.isBlank() ? data.resolve("slurm") : resolve(home, jobs),
                serverUrl,
                optionalPath(p, "executor.slurm.conf", home),
                optionalPath(p, "executor.slurm.binDir", home),
                Duration.ofSeconds(intValue(p, "executor.slurm.pollSeconds", 5, 1, 600)));
    }

    private static Path optionalPath(Properties p, String key, Path home) {
        String value = p.getProperty(key);
        return value == null || value.isBlank() ? null : resolve(home, value);
    }

    private static Path resolve(Path home, String value) {
        Path path = Path.of(value.trim());
        return (path.isAbsolute() ? path : home.resolve(path)).normalize();
    }

    private static int intValue(Properties p, String key, int def, int min, int max) {
        String raw = p.getProperty(key);
        if (raw == null || raw.isBlank()) {
            return def;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " = '" + raw + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("setting " + key + " = " + value + " must be in [" + min + ", " + max + "]");
        }
        return value;
    }
}
