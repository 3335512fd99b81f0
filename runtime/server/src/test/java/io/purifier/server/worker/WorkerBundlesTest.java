package io.purifier.server.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.purifier.server.TestBundles;
import io.purifier.server.TestHome;
import io.purifier.server.osgi.BundleIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

class WorkerBundlesTest {

    @TempDir
    Path dir;
    final ObjectMapper json = new ObjectMapper();

    private Path installed(String version) throws Exception {
        Path bundles = Files.createDirectories(dir.resolve("bundles"));
        return TestBundles.withIdentity(TestHome.itBundles().resolve(TestHome.SAMPLE_PLUGINS), bundles.resolve("sample.jar"),
                "io.purifier.sample-plugins", version);
    }

    private ArrayNode ticket(String version, String sha) {
        ArrayNode bundles = json.createArrayNode();
        bundles.addObject().put("symbolicName", "io.purifier.sample-plugins").put("version", version).put("sha256", sha).put("builtIn", true);
        return bundles;
    }

    private WorkerBundles bundles() {
        return new WorkerBundles(dir.resolve("bundles"), dir.resolve("downloads"), mock(WorkerClient.class));
    }

    @Test
    void the_built_in_jar_of_the_ticket_is_taken_from_the_installation() throws Exception {
        Path jar = installed("1.2.0");
        assertEquals(List.of(jar), bundles().prepare(ticket("1.2.0", BundleIdentity.sha256(jar))));
    }

    @Test
    void another_version_refuses_the_run_naming_the_bundle_and_both_versions() throws Exception {
        installed("9.9.9");
        WorkerBundles.Mismatch e = assertThrows(WorkerBundles.Mismatch.class, () -> bundles().prepare(ticket("1.2.0", "ab".repeat(32))));
        assertTrue(e.getMessage().startsWith("bundle io.purifier.sample-plugins differs: the server runs version 1.2.0 (sha256 abababababab…), "
                + "this worker has version 9.9.9 (sha256 "), e.getMessage());
    }

    @Test
    void the_same_version_with_other_content_is_refused_too_and_a_missing_bundle_is_named() throws Exception {
        installed("1.2.0");
        assertTrue(assertThrows(WorkerBundles.Mismatch.class, () -> bundles().prepare(ticket("1.2.0", "ab".repeat(32))))
                .getMessage().contains("this worker has version 1.2.0"));
        ArrayNode other = json.createArrayNode();
        other.addObject().put("symbolicName", "com.example.defense").put("version", "1.0.0").put("builtIn", true);
        assertTrue(assertThrows(WorkerBundles.Mismatch.class, () -> bundles().prepare(other)).getMessage()
                .startsWith("bundle com.example.defense 1.0.0 is built into the server but missing from this worker's installation"));
    }

    @Test
    void manifest_versions_are_normalised_like_the_framework_does() throws Exception {
        Path jar = installed("2");
        assertEquals("2.0.0", WorkerBundles.read(jar).version());
        assertEquals("io.purifier.sample-plugins", WorkerBundles.read(jar).symbolicName());
    }
}
