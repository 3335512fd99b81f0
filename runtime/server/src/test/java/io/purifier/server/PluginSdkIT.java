package io.purifier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.client.ApiClient;
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
import java.util.jar.Attributes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin SDK as another lab uses it, end to end: the example third-party project
 * ({@code examples/defense-ft-example}, defense {@code ft-head}) and a project fresh from the generator
 * ({@code purifier new defense lab-tune}, built with its contract tests) are built offline against the SDK
 * repository folder only (no reactor module is reachable), uploaded to a running server over HTTP and run in one
 * pipeline. A plugin project's compile class path holds no native library; a bundle without the contract's
 * service properties and one importing the API at a version the host does not export are refused at upload.
 * The external builds run once for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginSdkIT {

    @TempDir
    static Path dir;
    SdkWorkspace sdk;
    Path exampleProject;
    Path exampleJar;
    Path generatedJar;
    PurifierServer server;
    ApiClient admin;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void build_the_projects_and_start_a_server() throws Exception {
        sdk = SdkWorkspace.create(dir.resolve("machine"));
        Path work = Files.createDirectories(dir.resolve("work"));
        String generated = sdk.generate(work, "defense", "lab-tune");
        assertTrue(generated.contains("created defense-lab-tune"), generated);
        generatedJar = sdk.build(work.resolve("defense-lab-tune"));
        exampleProject = work.resolve("defense-ft-example");
        FileTrees.copy(Path.of(System.getProperty("purifier.examples")).resolve("defense-ft-example"), exampleProject);
        // the example's own tests are the same testkit contract the generated project just ran; the same build
        // writes the project's compile class path
        exampleJar = sdk.build(exampleProject, "-DskipTests", "-DincludeScope=compile",
                "-Dmdep.outputFile=" + dir.resolve("compile-classpath.txt"), "dependency:build-classpath");
        Path home = TestHome.create(dir, false, true);
        server = PurifierServer.start(TestHome.config(home, Map.of()), true, EngineModelTrainer.create());
        admin = TestHome.client(server.port(), TestHome.adminToken(home));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ApiClient.Response upload(Path jar) throws Exception {
        return admin.postFile("/api/bundles?filename=" + URLEncoder.encode(jar.getFileName().toString(), StandardCharsets.UTF_8), jar);
    }

    @Test
    @Order(1)
    void the_generated_project_has_the_layout_the_guide_describes() {
        Path project = dir.resolve("work/defense-lab-tune");
        for (String file : List.of("pom.xml", "README.md",
                "src/main/java/org/example/purifier/labtune/LabTuneDefense.java",
                "src/test/java/org/example/purifier/labtune/LabTuneDefenseTest.java",
                "target/surefire-reports/TEST-org.example.purifier.labtune.LabTuneDefenseTest.xml")) {
            assertTrue(Files.isRegularFile(project.resolve(file)), file);
        }
        assertEquals("defense-lab-tune-1.0.0.jar", generatedJar.getFileName().toString());
    }

    @Test
    @Order(2)
    void a_plugin_compiles_without_native_libraries() throws Exception {
        String entries = Files.readString(dir.resolve("compile-classpath.txt"));
        assertTrue(entries.contains("purifier-engine-") && entries.contains("nd4j-api-"), entries);
        assertFalse(entries.contains("purifier-testkit-") || entries.contains("junit-jupiter"), "test scope only: " + entries);
        for (String nativeJar : List.of("linux-x86_64", "nd4j-native-1", "openblas", "hdf5")) {
            assertFalse(entries.contains(nativeJar), nativeJar + " on the compile class path: " + entries);
        }
    }

    @Test
    @Order(3)
    void both_bundles_deploy_over_http() throws Exception {
        ApiClient.Response example = upload(exampleJar);
        assertEquals(201, example.status(), example.raw());
        assertEquals("org.example.lab.defense-ft-head", example.body().path("bundle").path("symbolicName").asText(), example.raw());
        assertEquals("[\"defense:ft-head\"]", example.body().path("plugins").toString(), example.raw());
        ApiClient.Response generated = upload(generatedJar);
        assertEquals(201, generated.status(), generated.raw());
        assertEquals("[\"defense:lab-tune\"]", generated.body().path("plugins").toString(), generated.raw());
        String defenses = admin.get("/api/components?kind=defense").raw();
        assertTrue(defenses.contains("\"ft-head\"") && defenses.contains("\"lab-tune\""), defenses);
    }

    @Test
    @Order(4)
    void both_defenses_run_in_a_pipeline() throws Exception {
        ObjectNode p = TestHome.tinyBadNetsPipeline(json, 5);
        p.putArray("metrics").addObject().put("id", "c-acc");
        ((ArrayNode) p.get("metrics")).addObject().put("id", "asr");
        ArrayNode defenses = p.putArray("defenses");
        defenses.addObject().put("id", "ft-head").putObject("params").put("epochs", 1).put("batchSize", 16);
        defenses.addObject().put("id", "lab-tune").putObject("params").put("epochs", 1).put("batchSize", 16);
        JsonNode run = TestHome.runToSuccess(admin, p, 300_000);
        int found = 0;
        for (JsonNode step : run.get("steps")) {
            if (step.path("kind").asText().equals("defense")) {
                assertEquals("SUCCEEDED", step.path("status").asText(), step.toString());
                assertTrue(step.path("summary").has("finalTrainLoss"), step.toString());
                found++;
            }
        }
        assertEquals(2, found, run.get("steps").toString());
        assertTrue(run.get("steps").toString().contains("\"trainedLayers\""), "ft-head reports the layers it trained");
    }

    @Test
    @Order(5)
    void a_bundle_without_the_contract_properties_is_refused_naming_the_annotation() throws Exception {
        Path stripped = SdkWorkspace.rewrite(generatedJar, dir.resolve("defense-lab-tune-1.0.1.jar"),
                new SdkWorkspace.EntryEdit(m -> {
                    m.getMainAttributes().putValue("Bundle-SymbolicName", "org.example.purifier.defense-lab-bare");
                }, (name, text) -> name.startsWith("OSGI-INF/")
                        ? text.replaceAll("\\s*<property name=\"purifier\\.(id|kind)\"[^>]*/>", "") : null));
        ApiClient.Response r = upload(stripped);
        assertEquals(400, r.status(), r.raw());
        String error = r.body().path("error").asText();
        assertTrue(error.contains("has no service property purifier.id") && error.contains("@PurifierPlugin"), error);
    }

    @Test
    @Order(6)
    void a_bundle_importing_the_api_at_another_major_version_is_refused_with_the_host_version() throws Exception {
        Path future = SdkWorkspace.rewrite(exampleJar, dir.resolve("defense-ft-head-2.0.0.jar"),
                new SdkWorkspace.EntryEdit(m -> {
                    Attributes main = m.getMainAttributes();
                    main.putValue("Bundle-SymbolicName", "org.example.lab.defense-ft-head-next");
                    main.putValue("Import-Package", main.getValue("Import-Package")
                            .replace("io.purifier.api;version=\"[1.1,2)\"", "io.purifier.api;version=\"[2.0,3)\""));
                }, (name, text) -> null));
        ApiClient.Response r = upload(future);
        assertEquals(400, r.status(), r.raw());
        String error = r.body().path("error").asText();
        assertTrue(error.contains("imports io.purifier.api at version [2.0,3)") && error.contains("the host exports io.purifier.api 1.1.0"), error);
    }
}
