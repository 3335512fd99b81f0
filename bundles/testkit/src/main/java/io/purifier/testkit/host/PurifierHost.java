package io.purifier.testkit.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Purifier host for a plugin's integration tests: deploys a bundle jar over HTTP as an administrator would
 * (a dry run first, then the upload, with every check the server makes) and runs one pipeline in it.
 *
 * <p>{@link #start()} starts the installation named by the system property {@value #HOME_PROPERTY} (or the
 * environment variable {@value #HOME_ENV}): {@code bin/purifier serve --port 0} as a child process with a fresh
 * temporary data directory, so nothing of the installation's own data is touched; it waits until the server
 * listens and reads the administrator token the first start writes into that data directory. When the system
 * property {@value #URL_PROPERTY} names a server that already runs (with an admin token in {@value #TOKEN_PROPERTY}),
 * {@link #start()} attaches to it instead and starts nothing. {@link #close()} stops the child process (and the
 * worker processes it started) and deletes the temporary data directory; an attached host removes the bundles it
 * deployed. Use it in try-with-resources, or close it in an {@code @AfterAll}:
 *
 * <pre>{@code
 * try (PurifierHost host = PurifierHost.start()) {
 *     PurifierHost.Deployed bundle = host.deploy(Path.of("target/my-defense-1.0.0.jar"));
 *     PurifierHost.RunResult run = host.run(Files.readString(Path.of("src/test/resources/pipeline.json")));
 *     assertEquals("SUCCEEDED", run.status(), run.error());
 * }
 * }</pre>
 *
 * <p>Longer than 300 lines because it is the testkit's one entry point for plugin authors: starting or attaching,
 * deploying, running and cleaning up share the process, the temporary directory and the credential, and its result
 * records ({@link Deployed}, {@link RunResult}) are nested so that third-party tests, the example and the generated
 * template name them as {@code PurifierHost.RunResult}; splitting them out would change that published surface.</p>
 */
public final class PurifierHost implements AutoCloseable {

    /** System property naming the installation directory (the one holding {@code bin/purifier}). */
    public static final String HOME_PROPERTY = "purifier.home";
    /** Environment variable naming the installation directory when {@value #HOME_PROPERTY} is not set. */
    public static final String HOME_ENV = "PURIFIER_HOME";
    /** System property naming the base URL of a running server to attach to instead of starting one. */
    public static final String URL_PROPERTY = "purifier.url";
    /** System property with an administrator token of the server named by {@value #URL_PROPERTY}. */
    public static final String TOKEN_PROPERTY = "purifier.token";

    /**
     * System property with the path of the bundle jar the build just made; the plugin parent sets it for
     * integration tests to {@code target/<finalName>.jar} ({@link #builtBundle()}).
     */
    public static final String BUNDLE_PROPERTY = "purifier.bundle";

    /** How long {@link #start()} waits for the server to listen. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private static final Pattern LISTENING = Pattern.compile("listening on (http://[^/\\s]+)/");
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "INTERRUPTED");

    private final URI url;
    private final String token;
    private final Process process;
    private final Path scratch;
    private final Path log;
    private final List<String> deployed = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    private PurifierHost(URI url, String token, Process process, Path scratch, Path log) {
        this.url = url;
        this.token = token;
        this.process = process;
        this.scratch = scratch;
        this.log = log;
    }

    /**
     * Attaches to the server named by {@value #URL_PROPERTY} when that property is set, else starts the
     * installation named by {@value #HOME_PROPERTY} or {@value #HOME_ENV}.
     *
     * @throws IllegalStateException naming the property when neither is set or the directory is no installation,
     *                               or with the server's output when it does not start
     */
    public static PurifierHost start() throws IOException, InterruptedException {
        String attach = System.getProperty(URL_PROPERTY, "").trim();
        if (!attach.isEmpty()) {
            String token = System.getProperty(TOKEN_PROPERTY, "").trim();
            if (token.isEmpty()) {
                throw new IllegalStateException("the system property " + URL_PROPERTY + " names a running server ("
                        + attach + ") but " + TOKEN_PROPERTY + " gives no admin token for it");
            }
            return attach(URI.create(attach), token);
        }
        String home = System.getProperty(HOME_PROPERTY, "").trim();
        if (home.isEmpty()) {
            home = System.getenv().getOrDefault(HOME_ENV, "").trim();
        }
        if (home.isEmpty()) {
            throw new IllegalStateException("PurifierHost needs a Purifier installation: set the system property "
                    + HOME_PROPERTY + " (e.g. mvn verify -D" + HOME_PROPERTY + "=/opt/purifier) or the environment variable "
                    + HOME_ENV + " to the directory holding bin/purifier");
        }
        return start(Path.of(home));
    }

    /**
     * Starts the installation {@code home} ({@code bin/purifier serve --port 0}) with a fresh temporary data
     * directory and waits until it listens.
     *
     * @throws IllegalStateException when {@code home} is not an installation or the server does not start
     */
    public static PurifierHost start(Path home) throws IOException, InterruptedException {
        Path launcher = home.resolve("bin").resolve("purifier");
        if (!Files.isExecutable(launcher) || !Files.isDirectory(home.resolve("lib"))) {
            throw new IllegalStateException(home.toAbsolutePath() + " (from " + HOME_PROPERTY + " / " + HOME_ENV
                    + ") is not a Purifier installation: it has no executable bin/purifier and lib/ folder");
        }
        Path scratch = Files.createTempDirectory("purifier-host-");
        Path data = Files.createDirectories(scratch.resolve("data"));
        Path log = scratch.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(launcher.toAbsolutePath().toString(), "serve", "--port", "0")
                .directory(scratch.toFile()).redirectErrorStream(true);
        String javaOpts = System.getenv().getOrDefault("PURIFIER_JAVA_OPTS", "");
        builder.environment().put("PURIFIER_JAVA_OPTS", (javaOpts + " -Dpurifier.data.dir=" + data).trim());
        Process process = builder.start();
        try {
            URI url = awaitListening(process, log);
            Path tokenFile = data.resolve("admin-token");
            if (!Files.isRegularFile(tokenFile)) {
                throw new IllegalStateException("the server at " + url + " wrote no admin token into " + tokenFile);
            }
            return new PurifierHost(url, Files.readString(tokenFile).trim(), process, scratch, log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(process);
            throw e;
        }
    }

    /**
     * The bundle jar this build made, from the system property {@value #BUNDLE_PROPERTY} (set by the plugin parent
     * for {@code *IT} classes run by {@code mvn verify}).
     *
     * @throws IllegalStateException naming the property when it is not set or names no file
     */
    public static Path builtBundle() {
        String jar = System.getProperty(BUNDLE_PROPERTY, "").trim();
        if (jar.isEmpty()) {
            throw new IllegalStateException("the system property " + BUNDLE_PROPERTY + " is not set: run the test with "
                    + "mvn verify in a project whose parent is purifier-plugin-parent and whose build lists the "
                    + "maven-failsafe-plugin, or pass the jar to deploy(Path)");
        }
        Path path = Path.of(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("the system property " + BUNDLE_PROPERTY + " names " + path
                    + ", which is not a file (run mvn verify, which packages the bundle before the integration tests)");
        }
        return path;
    }

    /** A host for the server that runs at {@code url}, used with the administrator token {@code token}. */
    public static PurifierHost attach(URI url, String token) {
        String base = url.toString().replaceFirst("/+$", "");
        return new PurifierHost(URI.create(base), token, null, null, null);
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:40123}. */
    public URI url() {
        return url;
    }

    /** The administrator token the host uses. */
    public String token() {
        return token;
    }

    /**
     * The temporary data directory of the started server (database, uploaded bundles, run artifacts), deleted by
     * {@link #close()}; empty when attached to a running server.
     */
    public Optional<Path> dataDirectory() {
        return scratch == null ? Optional.empty() : Optional.of(scratch.resolve("data"));
    }

    /** The started server's process; empty when attached to a running server. */
    public Optional<ProcessHandle> process() {
        return process == null ? Optional.empty() : Optional.of(process.toHandle());
    }

    /** The started server's output (empty when attached to a running server). */
    public String serverLog() throws IOException {
        return log != null && Files.isRegularFile(log) ? Files.readString(log) : "";
    }

    /**
     * Deploys {@code jar}: {@code POST /api/bundles?dryRun=true} (the server resolves it against the host, loads
     * every class and requires a plugin, without installing anything), then the real upload.
     *
     * @return the deployed bundle with its plugins ({@code kind:id})
     * @throws IllegalStateException with the server's answer when either request is refused
     */
    public Deployed deploy(Path jar) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no bundle jar at " + jar.toAbsolutePath() + " (run mvn package first)");
        }
        String name = URLEncoder.encode(jar.getFileName().toString(), StandardCharsets.UTF_8);
        HttpResponse<String> dry = send(HttpRequest.newBuilder(url.resolve("/api/bundles?dryRun=true&filename=" + name))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofFile(jar)));
        if (dry.statusCode() != 200) {
            throw new IllegalStateException("the dry run of " + jar.getFileName() + " was refused: " + answer(dry));
        }
        HttpResponse<String> real = send(HttpRequest.newBuilder(url.resolve("/api/bundles?filename=" + name))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofFile(jar)));
        if (real.statusCode() != 200 && real.statusCode() != 201) {
            throw new IllegalStateException("the upload of " + jar.getFileName() + " was refused: " + answer(real));
        }
        JsonNode body = json.readTree(real.body());
        List<String> plugins = new ArrayList<>();
        body.path("plugins").forEach(p -> plugins.add(p.asText()));
        Deployed result = new Deployed(body.path("bundle").path("symbolicName").asText(),
                body.path("bundle").path("version").asText(), List.copyOf(plugins));
        deployed.add(result.symbolicName());
        return result;
    }

    /** {@link #run(String, Duration)} waiting up to 10 minutes. */
    public RunResult run(String pipelineJson) throws IOException, InterruptedException, TimeoutException {
        return run(pipelineJson, Duration.ofMinutes(10));
    }

    /**
     * Submits the pipeline ({@code POST /api/runs}) and waits until the run ends.
     *
     * @return the run's final status, steps and metrics (also when it failed: check {@link RunResult#status()})
     * @throws IllegalStateException with the server's answer when the pipeline is refused (a 400 names the field)
     * @throws TimeoutException      naming the run's last status when it does not end within {@code limit}
     */
    public RunResult run(String pipelineJson, Duration limit) throws IOException, InterruptedException, TimeoutException {
        HttpResponse<String> submitted = send(HttpRequest.newBuilder(url.resolve("/api/runs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(pipelineJson)));
        if (submitted.statusCode() != 201) {
            throw new IllegalStateException("the pipeline was refused: " + answer(submitted));
        }
        long id = json.readTree(submitted.body()).path("id").asLong();
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(url.resolve("/api/runs/" + id)).GET());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET /api/runs/" + id + " answered " + answer(r));
            }
            JsonNode detail = json.readTree(r.body());
            String status = detail.path("run").path("status").asText();
            if (FINAL.contains(status)) {
                return RunResult.of(id, detail);
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("run " + id + " is still " + status + " after " + limit.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    /**
     * Stops the started server (SIGTERM, then SIGKILL after 30 s; its worker processes too) and deletes the
     * temporary data directory; an attached host removes the bundles it deployed instead.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process == null) {
            for (String bsn : deployed) {
                send(HttpRequest.newBuilder(url.resolve("/api/bundles/" + URLEncoder.encode(bsn, StandardCharsets.UTF_8))).DELETE());
            }
            return;
        }
        stop(process);
        try (Stream<Path> files = Files.walk(scratch)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        // uploads are checked in a child JVM of the server, which takes a while on a loaded machine
        return http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(180)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String answer(HttpResponse<String> r) {
        return r.statusCode() + " " + r.body();
    }

    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            child.destroyForcibly();
        }
    }

    private static URI awaitListening(Process process, Path logFile) throws IOException, InterruptedException {
        PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile), true);
        Deque<String> last = new ArrayDeque<>();
        CompletableFuture<URI> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (log; BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    log.println(line);
                    synchronized (last) {
                        last.addLast(line);
                        if (last.size() > 20) {
                            last.removeFirst();
                        }
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (!listening.isDone() && line.startsWith("Purifier") && m.find()) {
                        listening.complete(URI.create(m.group(1)));
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(new UncheckedIOException(e));
            }
            listening.completeExceptionally(new IllegalStateException("the server process ended without listening"));
        }, "purifier-host-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            String tail;
            synchronized (last) {
                tail = String.join("\n", last);
            }
            String why = e instanceof TimeoutException ? "did not listen within " + START_TIMEOUT.toSeconds() + " s"
                    : e.getCause().getMessage();
            throw new IllegalStateException("the Purifier server " + why + "; its last output (all of it in "
                    + logFile + "):\n" + tail, e);
        }
    }

    /**
     * A deployed bundle.
     *
     * @param symbolicName its {@code Bundle-SymbolicName}
     * @param version      its {@code Bundle-Version}
     * @param plugins      the plugins it registered, as {@code kind:id} (e.g. {@code defense:my-defense})
     */
    public record Deployed(String symbolicName, String version, List<String> plugins) {
    }

    /**
     * One step of a finished run.
     *
     * @param index       its position in the run (0 = the first step)
     * @param kind        {@code dataset}, {@code model}, {@code attack}, {@code defense}, {@code evaluate}, ...
     * @param componentId the plugin it ran (e.g. the defense id), or empty
     * @param status      {@code SUCCEEDED}, {@code FAILED}, {@code SKIPPED}, ...
     * @param error       why it failed, or empty
     * @param summary     what the plugin reported as its summary (a JSON object, possibly empty)
     */
    public record Step(int index, String kind, String componentId, String status, String error, JsonNode summary) {
    }

    /**
     * One metric value of a finished run.
     *
     * @param step     the index of the step that measured it
     * @param metricId the metric plugin (e.g. {@code c-acc})
     * @param name     the value's name (e.g. {@code C-ACC})
     * @param value    the value
     */
    public record Metric(int step, String metricId, String name, double value) {
    }

    /**
     * The outcome of {@link #run}.
     *
     * @param id      the run id
     * @param status  the final status: {@code SUCCEEDED}, {@code FAILED}, {@code CANCELLED} or {@code INTERRUPTED}
     * @param error   why the run failed, or empty
     * @param steps   its steps in order
     * @param metrics every metric value measured
     * @param detail  the whole {@code GET /api/runs/{id}} answer
     */
    public record RunResult(long id, String status, String error, List<Step> steps, List<Metric> metrics, JsonNode detail) {

        static RunResult of(long id, JsonNode detail) {
            List<Step> steps = new ArrayList<>();
            for (JsonNode s : detail.path("steps")) {
                steps.add(new Step(s.path("index").asInt(), s.path("kind").asText(), s.path("componentId").asText(""),
                        s.path("status").asText(), s.path("error").asText(""), s.path("summary")));
            }
            List<Metric> metrics = new ArrayList<>();
            for (JsonNode m : detail.path("metrics")) {
                metrics.add(new Metric(m.path("stepIndex").asInt(), m.path("metricId").asText(), m.path("name").asText(),
                        m.path("value").asDouble()));
            }
            return new RunResult(id, detail.path("run").path("status").asText(), detail.path("run").path("error").asText(""),
                    List.copyOf(steps), List.copyOf(metrics), detail);
        }

        /** Whether the run succeeded. */
        public boolean succeeded() {
            return "SUCCEEDED".equals(status);
        }

        /** The steps that ran the plugin {@code componentId} (e.g. your defense's id), in order. */
        public List<Step> stepsOf(String componentId) {
            return steps.stream().filter(s -> s.componentId().equals(componentId)).toList();
        }

        /** The metric values measured after step {@code step}, in order. */
        public List<Metric> metricsOf(int step) {
            return metrics.stream().filter(m -> m.step() == step).toList();
        }
    }
}
