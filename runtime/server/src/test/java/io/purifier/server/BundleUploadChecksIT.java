package io.purifier.server;

import io.purifier.client.ApiClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.purifier.server.testbundles.HangingActivator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken bundles are refused at upload, with messages that name the problem, and nothing is left in deploy/:
 * a missing import, no registered plugin, a host package exported or imported at another version, a host name,
 * names that are not plain, and an activator that never returns (after which deploys still work). The dry run
 * ({@code ?dryRun=true}) checks without deploying; a re-upload answers once the new file is in service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BundleUploadChecksIT {

    @TempDir
    static Path dir;
    Path home;
    PurifierServer server;
    ApiClient admin;

    @BeforeAll
    void start() throws Exception {
        home = TestHome.create(dir, false);
        server = PurifierServer.start(TestHome.config(home, Map.of("bundles.check.timeoutSeconds", "15")), true, null);
        admin = TestHome.client(server.port(), TestHome.adminToken(home));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ApiClient.Response upload(Path jar, String query) throws Exception {
        return admin.postFile("/api/bundles?filename=" + URLEncoder.encode(jar.getFileName().toString(), StandardCharsets.UTF_8)
                + query, jar);
    }

    private Path jar(String name, Map<String, String> headers, Class<?>... classes) throws Exception {
        return TestBundles.bundle(Files.createDirectories(dir.resolve("jars")).resolve(name), headers, classes);
    }

    private void assertRefused(ApiClient.Response r, int status, String... words) throws Exception {
        assertEquals(status, r.status(), r.raw());
        for (String w : words) {
            assertTrue(r.body().path("error").asText().contains(w), "'" + w + "' missing from " + r.raw());
        }
        try (Stream<Path> left = Files.list(home.resolve("deploy"))) {
            assertEquals(List.of(), left.filter(p -> !p.getFileName().toString().equals("io.purifier.sample-plugins.jar")).toList(),
                    "files left in deploy/");
        }
    }

    @Test
    @Order(1)
    void a_dry_run_lists_the_plugins_and_deploys_nothing() throws Exception {
        ApiClient.Response r = upload(TestHome.itBundles().resolve(TestHome.SAMPLE_PLUGINS), "&dryRun=true");
        assertEquals(200, r.status(), r.raw());
        assertEquals("io.purifier.sample-plugins", r.body().path("symbolicName").asText());
        assertTrue(r.body().path("plugins").toString().contains("defense:sample-shrink"), r.raw());
        assertRefused(r, 200);
        assertEquals(0, admin.get("/api/components?kind=defense").body().size());
    }

    @Test
    @Order(2)
    void a_missing_import_is_refused_naming_the_package_also_by_a_dry_run() throws Exception {
        Path jar = jar("missing.jar", Map.of("Bundle-SymbolicName", "com.example.missing", "Bundle-Version", "1.0.0",
                "Import-Package", "com.example.nowhere"));
        assertRefused(upload(jar, ""), 400, "does not resolve", "com.example.nowhere");
        assertRefused(upload(jar, "&dryRun=true"), 400, "does not resolve", "com.example.nowhere");
    }

    @Test
    @Order(3)
    void a_bundle_that_registers_no_plugin_is_refused() throws Exception {
        Path jar = jar("empty.jar", Map.of("Bundle-SymbolicName", "com.example.empty", "Bundle-Version", "1.0.0"));
        assertRefused(upload(jar, ""), 400, "registers no plugin");
    }

    @Test
    @Order(4)
    void host_packages_at_other_versions_are_refused_with_the_host_version() throws Exception {
        Path exports = jar("exports.jar", Map.of("Bundle-SymbolicName", "com.example.exports", "Bundle-Version", "1.0.0",
                "Export-Package", "io.purifier.api;version=\"9.9.9\""));
        assertRefused(upload(exports, ""), 400, "exports the host package io.purifier.api at version 9.9.9", "but the host exports io.purifier.api ");
        Path imports = jar("imports.jar", Map.of("Bundle-SymbolicName", "com.example.imports", "Bundle-Version", "1.0.0",
                "Import-Package", "io.purifier.api;version=\"[9.0,10)\""));
        assertRefused(upload(imports, ""), 400, "imports io.purifier.api at version [9.0,10)", "the host exports io.purifier.api ");
    }

    @Test
    @Order(5)
    void host_names_and_names_that_are_not_plain_are_refused() throws Exception {
        assertRefused(upload(jar("api.jar", Map.of("Bundle-SymbolicName", "io.purifier.api", "Bundle-Version", "1.0.0")), ""),
                409, "part of the host");
        assertRefused(upload(jar("dots.jar", Map.of("Bundle-SymbolicName", "..", "Bundle-Version", "1.0.0")), ""), 400, "unusable Bundle-SymbolicName");
        assertRefused(upload(jar("hidden.jar", Map.of("Bundle-SymbolicName", ".hidden", "Bundle-Version", "1.0.0")), ""), 400, "unusable Bundle-SymbolicName");
        for (String name : List.of("..", ".hidden.jar", "a/b.jar", "//")) {
            ApiClient.Response r = admin.postFile("/api/bundles?filename=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
                    TestHome.itBundles().resolve(TestHome.SAMPLE_PLUGINS));
            assertRefused(r, 400, "is not a plain file name");
        }
        assertEquals(404, admin.delete("/api/bundles/..").status());
    }

    @Test
    @Order(6)
    void an_activator_that_never_returns_is_refused_in_time_and_later_deploys_work() throws Exception {
        Path jar = jar("hang.jar", Map.of("Bundle-SymbolicName", "com.example.hang", "Bundle-Version", "1.0.0",
                "Bundle-Activator", HangingActivator.class.getName(), "Import-Package", "org.osgi.framework"), HangingActivator.class);
        long start = System.nanoTime();
        assertRefused(upload(jar, ""), 400, "did not finish starting within 15 s", "nothing was deployed");
        assertTrue((System.nanoTime() - start) / 1_000_000_000 < 60, "the refusal took too long");
        ApiClient.Response ok = upload(TestHome.itBundles().resolve(TestHome.SAMPLE_PLUGINS), "");
        assertEquals(201, ok.status(), ok.raw());
        assertEquals("ACTIVE", ok.body().path("bundle").path("state").asText());
        assertTrue(ok.body().path("plugins").toString().contains("defense:sample-shrink"), ok.raw());
        // the registry follows the framework's service events; under load the listing may trail the answer briefly
        TestBundles.await("the sample defense listed once", 30_000,
                () -> defensesListed() == 1);
    }

    @Test
    @Order(7)
    void a_reupload_of_the_same_version_answers_once_the_new_file_is_in_service() throws Exception {
        Path copy = TestBundles.withIdentity(TestHome.itBundles().resolve(TestHome.SAMPLE_PLUGINS), dir.resolve("jars/again.jar"),
                "io.purifier.sample-plugins", server.services().deployer().list().stream()
                        .filter(b -> "io.purifier.sample-plugins".equals(b.symbolicName())).findFirst().orElseThrow().version());
        ApiClient.Response r = upload(copy, "");
        assertEquals(200, r.status(), r.raw());
        assertTrue(r.body().path("replaced").asBoolean());
        JsonNode listed = admin.get("/api/bundles").body();
        String sha = io.purifier.server.osgi.BundleIdentity.sha256(copy);
        boolean inService = false;
        for (JsonNode b : listed) {
            inService |= b.path("symbolicName").asText().equals("io.purifier.sample-plugins") && b.path("sha256").asText().equals(sha)
                    && b.path("state").asText().equals("ACTIVE");
        }
        assertTrue(inService, listed.toString());
        // the registry follows the framework's service events; under load the listing may trail the answer briefly
        TestBundles.await("the sample defense listed once", 30_000,
                () -> defensesListed() == 1);
    }

    private int defensesListed() {
        try {
            return admin.get("/api/components?kind=defense").body().size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
