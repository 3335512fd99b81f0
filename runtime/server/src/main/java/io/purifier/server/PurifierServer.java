package io.purifier.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.purifier.server.inspect.BundleChecker;
import io.purifier.server.inspect.ModelInspector;
import io.purifier.server.osgi.BundleDeployer;
import io.purifier.server.osgi.FelixCaches;
import io.purifier.server.osgi.FelixHost;
import io.purifier.server.osgi.PluginRegistry;
import io.purifier.server.pipeline.AttackCache;
import io.purifier.server.pipeline.ModelTrainer;
import io.purifier.server.pipeline.PipelineValidator;
import io.purifier.server.pipeline.RunEvents;
import io.purifier.server.pipeline.RunService;
import io.purifier.server.dispatch.RunControl;
import io.purifier.server.dispatch.RunTickets;
import io.purifier.server.dispatch.RunWatchdog;
import io.purifier.server.dispatch.WorkerReports;
import io.purifier.server.executor.ExecutorSettings;
import io.purifier.server.executor.RunExecutor;
import io.purifier.server.executor.RunExecutors;
import io.purifier.server.pipeline.PipelineCodec;
import io.purifier.server.run.PipelineRunner;
import io.purifier.server.store.WorkerTokenStore;
import io.purifier.server.store.DataDirectory;
import io.purifier.server.store.Database;
import io.purifier.server.store.ModelStore;
import io.purifier.server.store.PipelineStore;
import io.purifier.server.store.RunStore;
import io.purifier.server.store.UserStore;
import io.purifier.server.web.Services;
import io.purifier.server.web.WebServer;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole server, started in the proven order: H2 + Flyway → ND4J warm-up → Felix (SCR, FileInstall,
 * built-in bundles) → plugin registry → run queue → HTTP → dispatching runs to workers. Also used headless by
 * {@code purifier run} when no server is running (HTTP on a loopback ephemeral port, for its workers only).
 */
public final class PurifierServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PurifierServer.class);

    /** How far past a step's time limit plus the worker's own grace the server lets a worker run before killing it. */
    static final Duration STEP_STOP_MARGIN = Duration.ofSeconds(60);

    /** The file under the data directory that holds the first admin token. */
    public static final String ADMIN_TOKEN_FILE = "admin-token";

    private final ServerConfig config;
    private final Database db;
    private final FelixHost felix;
    private final PluginRegistry registry;
    private final RunService runs;
    private final Services services;
    private final WebServer web;
    private final StartupTimes times;
    private final String adminTokenNote;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread exitHook = new Thread(this::close, "purifier-server-exit");

    /**
     * Start-up durations in milliseconds.
     *
     * @param database H2 open and migrations
     * @param nd4j     ND4J initialisation
     * @param felix    framework and built-in bundles
     * @param http     HTTP server
     * @param total    everything
     */
    public record StartupTimes(long database, long nd4j, long felix, long http, long total) {
    }

    private PurifierServer(ServerConfig config, Database db, FelixHost felix, PluginRegistry registry, RunService runs,
                           Services services, WebServer web, StartupTimes times, String adminTokenNote) {
        this.config = config;
        this.db = db;
        this.felix = felix;
        this.registry = registry;
        this.runs = runs;
        this.services = services;
        this.web = web;
        this.times = times;
        this.adminTokenNote = adminTokenNote;
    }

    /** The JSON mapper used everywhere (java.time support, strict on unknown fields). */
    public static ObjectMapper objectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Starts the server.
     *
     * @param config  settings
     * @param withWeb whether to serve HTTP as configured; without, the server listens on a loopback ephemeral port only
     *                (its workers report there)
     * @param trainer the model trainer, or null when models cannot be trained
     */
    public static PurifierServer start(ServerConfig config, boolean withWeb, ModelTrainer trainer) throws Exception {
        long t0 = System.nanoTime();
        ServerConfig effective = withWeb ? config : config.withHttp("127.0.0.1", 0);
        List<Path> narrowed = DataDirectory.secure(config.dataDir());
        if (!narrowed.isEmpty()) {
            LOG.warn("made {} path(s) in the data directory {} private to this user (0700/0600)", narrowed.size(), config.dataDir());
        }
        Database db = Database.open(config.dataDir());
        List<AutoCloseable> opened = new ArrayList<>();
        opened.add(db);
        try {
            ObjectMapper json = objectMapper();
            UserStore users = new UserStore(db);
            String adminNote = ensureAdmin(users, config.dataDir());
            RunStore runStore = new RunStore(db, json);
            boolean jobsOutlive = ExecutorSettings.SLURM.equals(config.executor().kind());
            int interrupted = runStore.markInterrupted(RunService::ownerAlive, jobsOutlive);
            if (interrupted > 0) {
                LOG.warn("{} run(s) left queued or running by a stopped server are now marked interrupted", interrupted);
            }
            WorkerTokenStore workerTokens = new WorkerTokenStore(db);
            workerTokens.revokeEnded();
            long t1 = System.nanoTime();
            Nd4j.create(new float[]{1, 2, 3, 4}, new long[]{2, 2}).mmul(Nd4j.eye(2).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
            long t2 = System.nanoTime();
            FelixHost felix = FelixHost.start(config.bundlesDir(), config.deployDir(), FelixCaches.forThisProcess(config.felixCache()),
                    config.fileInstallPollMs(), java.util.Map.of());
            opened.add(felix);
            PluginRegistry registry = new PluginRegistry(felix.context());
            opened.add(registry);
            long t3 = System.nanoTime();
            ModelStore models = new ModelStore(db, json, config.dataDir());
            List<String> orphans = models.removeOrphans();
            if (!orphans.isEmpty()) {
                LOG.warn("removed {} model file(s) that a crash left without their row: {}", orphans.size(), orphans);
            }
            FileTrees.delete(config.dataDir().resolve("tmp"));
            PipelineStore pipelines = new PipelineStore(db, json);
            AttackCache cache = new AttackCache(config.cacheDir(), json);
            RunEvents events = new RunEvents();
            Files.createDirectories(config.dataDir().resolve("datasets"));
            RunExecutor executor = RunExecutors.of(config.executor(), config.home(), config.dataDir(), json);
            PipelineValidator validator = new PipelineValidator(registry, trainer, models, config.stepTimeout(),
                    executor::refusals);
            RunControl control = new RunControl(executor,
                    new RunWatchdog(config.executor(), PipelineRunner.STEP_STOP_GRACE.plus(STEP_STOP_MARGIN)), workerTokens, config.dataDir());
            RunService runs = RunService.create(new RunService.Setup(validator, runStore, events, cache, control,
                    config.dataDir(), json, config.queueCapacity()));
            opened.add(runs);
            if (jobsOutlive) {
                int reattached = runs.reattach();
                if (reattached > 0) {
                    LOG.info("{} run(s) whose jobs an earlier server submitted are watched again", reattached);
                }
            }
            BundleChecker checker = new BundleChecker(config.home(), config.dataDir().resolve("tmp"),
                    new ModelInspector.Limits(config.bundleCheck(), 512L << 20, 512L << 20, 1), json);
            BundleDeployer deployer = new BundleDeployer(felix, Math.max(10_000, config.fileInstallPollMs() * 10), checker);
            RunTickets tickets = new RunTickets(new PipelineCodec(json), deployer::list, models, config.cacheDir(),
                    existing(config.dataRoots()), version(), json, config.trainingCheckpoints());
            WorkerReports workers = new WorkerReports(runs, tickets, models, config.dataDir(), config.deployDir(),
                    config.maxUploadBytes(), json);
            Services services = new Services(effective, json, registry, deployer, runs, runStore, models, pipelines, users,
                    cache, trainer, events, version(), System.currentTimeMillis(), workers, workerTokens,
                    new ModelInspector(config.home(), config.dataDir().resolve("tmp"), config.modelInspection(), json));
            WebServer web = WebServer.start(services);
            opened.add(web);
            runs.start(serverUrl(effective.bindAddress(), web.port()));
            long t4 = System.nanoTime();
            StartupTimes times = new StartupTimes(ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t4 - t0));
            PurifierServer server = new PurifierServer(config, db, felix, registry, runs, services, web, times, adminNote);
            Runtime.getRuntime().addShutdownHook(server.exitHook);
            return server;
        } catch (Exception | Error e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The address workers on this machine reach the server at. */
    static URI serverUrl(String bind, int port) {
        String host = bind.equals("0.0.0.0") || bind.equals("::") || bind.isBlank() ? "127.0.0.1" : bind;
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }

    private static List<Path> existing(List<Path> roots) {
        return roots.stream().filter(Files::isDirectory).toList();
    }

    /**
     * On first start (no users), creates the user {@code admin} and writes its token to a 0600 file in the data
     * directory. Returns a note saying where the token is.
     */
    static String ensureAdmin(UserStore users, Path dataDir) throws IOException {
        Path file = dataDir.resolve(ADMIN_TOKEN_FILE);
        if (!users.isEmpty()) {
            return Files.exists(file) ? "admin token: " + file : "admin token: issued at first start (see 'purifier user add')";
        }
        if (Files.exists(file)) {
            throw new IllegalStateException("the history has no users but " + file + " exists: the database was replaced "
                    + "or emptied. The old admin token is kept; move it away to start afresh");
        }
        String token = users.add("admin", io.purifier.server.auth.Role.ADMIN);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, token + System.lineSeparator());
        return "admin token (created now): " + file;
    }

    /** The version of this server. */
    public static String version() {
        String v = PurifierServer.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** The settings. */
    public ServerConfig config() {
        return config;
    }

    /** The services (for the CLI and tests). */
    public Services services() {
        return services;
    }

    /** The HTTP port (a loopback ephemeral port when started without the public HTTP server). */
    public int port() {
        return web.port();
    }

    /** Where the first admin token is. */
    public String adminTokenNote() {
        return adminTokenNote;
    }

    /** Start-up durations. */
    public StartupTimes startupTimes() {
        return times;
    }

    /** The run service. */
    public RunService runs() {
        return runs;
    }

    /** The plugin registry. */
    public PluginRegistry registry() {
        return registry;
    }

    /**
     * Stops HTTP, the run queue (running runs end interrupted), the framework and the database, in that order. Also
     * called when the JVM exits (SIGTERM, Ctrl-C), so that no request is answered from a closed database; closing
     * twice does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException exiting) {
            // called while the JVM exits (from this hook or another): nothing to remove
        }
        web.close();
        runs.close();
        registry.close();
        felix.close();
        db.close();
    }
}
