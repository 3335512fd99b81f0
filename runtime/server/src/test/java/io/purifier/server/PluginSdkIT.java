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
 * repository folder only (no reactor module is reachable). The generated bundle is uploaded over HTTP; the
 * example is built with {@code mvn verify}, whose integration test uses the testkit's host harness
 * ({@code PurifierHost}, pointed at this class's server with {@code -Dpurifier.url} and {@code -Dpurifier.token}) to
 * upload the jar it built and run its pipeline, into which this class adds the generated defense as a second step
 * (one pipeline runs both); this class checks what that run left on the server. A plugin project's compile class
 * path holds no native library; a bundle without the contract's service properties and one importing the API at a
 * version the host does not export are refused at upload. The server starts and the external builds run once.
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
    ApiClient.Response generatedUpload;
    PurifierServer server;
    ApiClient admin;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start_a_server_and_verify_the_projects_against_it() throws Exception {
        Path home = TestHome.create(dir, false, true);
        server = PurifierServer.start(TestHome.config(home, Map.of()), true, EngineModelTrainer.create());
        String token = TestHome.adminToken(home);
        admin = TestHome.client(server.port(), token);
        String[] host = {"-Dpurifier.url=http://127.0.0.1:" + server.port(), "-Dpurifier.token=" + token};

        sdk = SdkWorkspace.create(dir.resolve("machine"));
        Path work = Files.createDirectories(dir.resolve("work"));
        String generated = sdk.generate(work, "defense", "lab-tune");
        assertTrue(generated.contains("created defense-lab-tune"), generated);
        // mvn package: compiled (its host IT included) and its contract tests run
        generatedJar = sdk.build(work.resolve("defense-lab-tune"));
        generatedUpload = upload(generatedJar);
        exampleProject = work.resolve("defense-ft-example");
        FileTrees.copy(Path.of(System.getProperty("purifier.examples")).resolve("defense-ft-example"), exampleProject);
        Path pipeline = exampleProject.resolve("src/test/resources/pipeline.json");
        ObjectNode both = (ObjectNode) json.readTree(pipeline.toFile());
        ((ArrayNode) both.get("defenses")).addObject().put("id", "lab-tune").putObject("params").put("epochs", 1).put("batchSize", 16);
        json.writeValue(pipeline.toFile(), both);
        // the example's unit tests are the same testkit contract the generated project just ran (skipped here); its
        // host IT runs, and the same build writes the project's compile class path
        exampleJar = sdk.verify(exampleProject, host[0], host[1], "-Dtest=none", "-Dsurefire.failIfNoSpecifiedTests=false",
                "-DincludeScope=compile", "-Dmdep.outputFile=" + dir.resolve("compile-classpath.txt"), "dependency:build-classpath");
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
                "src/test/java/org/example/purifier/labtune/LabTuneHostIT.java",
                "src/test/resources/pipeline.json",
                "target/test-classes/org/example/purifier/labtune/LabTuneHostIT.class",
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
    void the_example_s_host_it_deployed_it_and_ran_it_with_the_generated_defense_in_one_pipeline() throws Exception {
        assertEquals(201, generatedUpload.status(), generatedUpload.raw());
        assertEquals("[\"defense:lab-tune\"]", generatedUpload.body().path("plugins").toString(), generatedUpload.raw());
        String report = Files.readString(exampleProject.resolve("target/failsafe-reports/TEST-org.example.lab.fthead.FtHeadHostIT.xml"));
        assertTrue(report.contains("tests=\"1\"") && report.contains("failures=\"0\"") && report.contains("errors=\"0\""), report);
        JsonNode runs = admin.get("/api/runs").body();
        assertEquals(1, runs.size(), runs.toString());
        JsonNode run = admin.get("/api/runs/" + runs.get(0).path("id").asLong()).body();
        assertEquals("SUCCEEDED", run.path("run").path("status").asText(), run.path("run").toString());
        List<String> defenses = new java.util.ArrayList<>();
        for (JsonNode step : run.get("steps")) {
            if (step.path("kind").asText().equals("defense")) {
                assertEquals("SUCCEEDED", step.path("status").asText(), step.toString());
                assertTrue(step.path("summary").has("finalTrainLoss"), step.toString());
                defenses.add(step.path("componentId").asText());
            }
        }
        assertEquals(List.of("ft-head", "lab-tune"), defenses, run.get("steps").toString());
        assertTrue(run.get("steps").toString().contains("\"trainedLayers\""), "ft-head reports the layers it trained");
        assertFalse(run.path("metrics").isEmpty(), "C-ACC and ASR were measured");
        // the harness, attached to a running server, removes what it deployed when it closes
        String bundles = admin.get("/api/bundles").raw();
        assertFalse(bundles.contains("defense-ft-head"), bundles);
        assertTrue(bundles.contains("defense-lab-tune"), bundles);
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
