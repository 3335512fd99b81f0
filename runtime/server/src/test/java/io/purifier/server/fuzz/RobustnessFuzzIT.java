package io.purifier.server.fuzz;

import io.purifier.client.ApiClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.data.Normalization;
import io.purifier.engine.model.EngineModel;
import io.purifier.engine.model.NativeModelFile;
import io.purifier.engine.zoo.InputSpec;
import io.purifier.engine.zoo.ModelZoo;
import io.purifier.server.ServerProcess;
import io.purifier.server.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standing robustness suite: a seeded fuzz of the REST API and of every uploaded file format against a server
 * in a child JVM, reporting inputs tried, 5xx answers, crashes, hangs and records lost (the goal is zero in each).
 * The counts come from system properties, so the same test is the short run of {@code ./purifier test} and the
 * long run of {@code ./purifier fuzz --long}:
 * {@code purifier.fuzz.requests} (API requests, default 300), {@code purifier.fuzz.uploads} (mutated files per
 * format uploaded through the server, default 1), {@code purifier.fuzz.files} (mutated files per format parsed at
 * the parser level in a child JVM with the upload check's caps, default 12), {@code purifier.fuzz.seed} (default 1).
 * The report is printed and written to {@code target/fuzz-report.md}.
 */
class RobustnessFuzzIT {

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void the_api_and_every_upload_format_survive_fuzzing() throws Exception {
        int requests = Integer.getInteger("purifier.fuzz.requests", 300);
        int uploads = Integer.getInteger("purifier.fuzz.uploads", 1);
        int files = Integer.getInteger("purifier.fuzz.files", 12);
        long seed = Long.getLong("purifier.fuzz.seed", 1L);
        Path home = TestHome.create(dir, true);
        for (String format : List.of("format-keras.jar", "format-native.jar")) {
            Files.copy(TestHome.itBundles().resolve("builtin").resolve(format), home.resolve("bundles").resolve(format));
        }
        Files.writeString(home.resolve("conf/purifier.properties"), "runs.queue=100000\nmodels.inspect.timeoutSeconds=15\n"
                + "models.inspect.heapMegabytes=256\nmodels.inspect.offHeapMegabytes=512\nbundles.check.timeoutSeconds=15\n",
                java.nio.file.StandardOpenOption.APPEND);
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("keras-h5", Files.readAllBytes(Path.of(System.getProperty("purifier.kerasFixture"))));
        seeds.put("native", nativeModel());
        seeds.put("sample-linear", TestHome.backdooredSampleModel().getBytes(StandardCharsets.UTF_8));
        seeds.put("bundle", Files.readAllBytes(TestHome.itBundles().resolve(TestHome.SAMPLE_PLUGINS)));

        List<String> report = new ArrayList<>();
        report.add("| what | tried | 2xx | 4xx | 5xx | crashes | hangs | records lost |");
        report.add("|---|---|---|---|---|---|---|---|");
        int fiveXx = 0;
        int hangs = 0;
        int lost;
        boolean crashed;
        List<String> failures = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(home)) {
            ApiClient admin = server.api(TestHome.adminToken(home));
            Records records = records(admin);
            ApiFuzzer fuzzer = new ApiFuzzer(server.port(), List.of(records.tokens().get(0), records.tokens().get(1),
                    records.tokens().get(2)), records.pipeline(), List.of(records.savedPipeline()), Duration.ofSeconds(90), seed);
            ApiFuzzer.Result api = fuzzer.run(requests, server::isAlive);
            report.add(row("REST API requests", api.tried(), api.statuses(), api.crashed(), api.hangs()));
            fiveXx += api.statuses().getOrDefault("5xx", 0);
            hangs += api.hangs();
            failures.addAll(api.fiveXx());
            crashed = api.crashed();
            for (var e : seeds.entrySet()) {
                if (crashed) {
                    break;
                }
                Map<String, Integer> statuses = new TreeMap<>();
                Mutator mutator = new Mutator(seed + e.getKey().hashCode());
                for (int i = 0; i < uploads; i++) {
                    byte[] mutant = mutator.mutate(e.getValue()).bytes();
                    String path = e.getKey().equals("bundle") ? "/api/bundles?filename=fuzz-" + i + ".jar"
                            : "/api/models?format=" + URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "&filename=fuzz-" + i + ".bin";
                    try {
                        ApiClient.Response r = admin.postBytes(path, mutant);
                        statuses.merge(r.status() / 100 + "xx", 1, Integer::sum);
                        if (r.status() >= 500) {
                            failures.add("upload " + e.getKey() + " mutant " + i + " -> " + r.raw());
                        }
                    } catch (java.net.http.HttpTimeoutException timeout) {
                        hangs++;
                    } catch (java.io.IOException io) {
                        crashed = !server.isAlive();
                    }
                }
                report.add(row("uploads of mutated " + e.getKey() + " files through the server", uploads, statuses, crashed, 0));
                fiveXx += statuses.getOrDefault("5xx", 0);
            }
            crashed |= !server.isAlive();
            lost = crashed ? -1 : records.lost(admin);
        }
        report.add("");
        report.add("| format (parser level, child JVM, 256 MB heap) | mutants | outcomes (contained) | example |");
        report.add("|---|---|---|---|");
        FormatFuzzer formats = new FormatFuzzer(dir.resolve("mutants"), Duration.ofSeconds(30));
        Path bundleHome = Files.createDirectories(dir.resolve("bundle-home/bundles")).getParent();
        try (var jars = Files.list(home.resolve("bundles"))) {
            for (Path jar : jars.filter(j -> !j.getFileName().toString().equals(TestHome.SAMPLE_PLUGINS)).toList()) {
                Files.copy(jar, bundleHome.resolve("bundles").resolve(jar.getFileName()));
            }
        }
        for (String format : List.of("keras-h5", "native", "bundle")) {
            FormatFuzzer.Result r = formats.run(format.equals("bundle") ? bundleHome : home, format, seeds.get(format), files,
                    seed + 17 * format.length());
            report.add("| " + format + " | " + r.tried() + " | " + r.outcomes() + " | " + r.examples().entrySet().stream()
                    .filter(x -> !x.getKey().equals("loaded")).findFirst().map(x -> x.getKey() + ": " + x.getValue().replace('|', '/')
                            .replace('\n', ' ').replace(dir.toString() + "/", "")).orElse("") + " |");
        }
        report.add("");
        report.add("seed " + seed + "; totals: 5xx " + fiveXx + ", crashes " + (crashed ? 1 : 0) + ", hangs " + hangs
                + ", records lost " + lost);
        String text = String.join("\n", report);
        System.out.println(text);
        failures.forEach(f -> System.out.println("5xx: " + f));
        Files.writeString(Path.of("target", "fuzz-report.md"), text + "\n");
        assertFalse(crashed, "the server crashed");
        assertEquals(0, fiveXx, "5xx answers: " + failures);
        assertEquals(0, hangs, "requests without an answer");
        assertEquals(0, lost, "records lost");
    }

    private static String row(String what, int tried, Map<String, Integer> statuses, boolean crashed, int hangs) {
        return "| " + what + " | " + tried + " | " + statuses.getOrDefault("2xx", 0) + " | " + statuses.getOrDefault("4xx", 0)
                + " | " + statuses.getOrDefault("5xx", 0) + " | " + (crashed ? 1 : 0) + " | " + hangs + " | |";
    }

    private byte[] nativeModel() throws Exception {
        var architecture = ModelZoo.architecture("small-cnn");
        EngineModel model = architecture.create(architecture.parameters().resolve(Map.of()),
                new InputSpec(1, 28, 28, List.of("a", "b", "c"), new Normalization(new double[]{0}, new double[]{1})), 7);
        Path file = dir.resolve("seed.purifier");
        NativeModelFile.save(model, file);
        return Files.readAllBytes(file);
    }

    /**
     * Records made before the fuzz, checked after it.
     *
     * @param tokens        admin, researcher and viewer tokens
     * @param pipeline      a valid pipeline (the seed of fuzzed bodies)
     * @param savedPipeline a saved pipeline's id
     * @param modelId       a stored model
     * @param runId         a finished run
     * @param runDetail     that run's record
     */
    record Records(List<String> tokens, JsonNode pipeline, long savedPipeline, String modelId, long runId, JsonNode runDetail) {

        int lost(ApiClient admin) throws Exception {
            int lost = 0;
            for (String token : tokens) {
                lost += admin.as(token).get("/api/me").status() == 200 ? 0 : 1;
            }
            lost += admin.get("/api/pipelines/" + savedPipeline).status() == 200 ? 0 : 1;
            lost += admin.get("/api/models/" + modelId).status() == 200 ? 0 : 1;
            JsonNode run = admin.get("/api/runs/" + runId).body();
            lost += run != null && run.path("steps").equals(runDetail.path("steps")) && run.path("metrics").equals(runDetail.path("metrics")) ? 0 : 1;
            return lost;
        }
    }

    private Records records(ApiClient admin) throws Exception {
        List<String> tokens = new ArrayList<>();
        tokens.add(TestHome.adminToken(dir.resolve("home")));
        for (String role : List.of("researcher", "viewer")) {
            ApiClient.Response u = admin.postJson("/api/users", json.createObjectNode().put("name", "fuzz-" + role).put("role", role));
            assertEquals(201, u.status(), u.raw());
            tokens.add(u.body().path("token").asText());
        }
        ApiClient.Response model = admin.postBytes("/api/models?format=sample-linear&name=fuzz-seed", TestHome.backdooredSampleModel().getBytes());
        assertEquals(201, model.status(), model.raw());
        String modelId = model.body().path("id").asText();
        ObjectNode p = json.createObjectNode();
        p.put("name", "fuzz seed").put("seed", 3);
        p.putObject("dataset").put("id", "sample-blobs");
        p.putObject("model").put("source", "stored").put("modelId", modelId);
        p.putObject("attack").put("id", "sample-corner").putObject("params").put("poisonRatio", 0.2);
        p.putArray("defenses").addObject().put("id", "sample-shrink");
        p.putArray("metrics").addObject().put("id", "sample-accuracy");
        ObjectNode saved = json.createObjectNode().put("name", "fuzz seed");
        saved.set("spec", p);
        ApiClient.Response s = admin.postJson("/api/pipelines", saved);
        assertEquals(201, s.status(), s.raw());
        JsonNode run = TestHome.runToSuccess(admin, p, 120_000);
        assertTrue(run.path("metrics").size() > 0);
        return new Records(tokens, p, s.body().path("id").asLong(), modelId, run.path("run").path("id").asLong(), run);
    }
}
