package io.purifier.dist;

import io.purifier.testkit.host.PurifierHost;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The testkit's host harness starting the installation this module assembles, as a plugin project's integration
 * test does with {@code -Dpurifier.home}: the child server listens on its own port with a fresh data directory and
 * an admin token, refuses an upload with the answer a plugin author reads, and leaves no process and no directory
 * behind. (Deploying and running a plugin through the harness is {@code PluginSdkIT}'s part, against its server.)
 */
class PurifierHostIT {

    private static final Path INSTALLATION = Path.of("target", "purifier").toAbsolutePath();

    @Test
    void starts_the_installation_with_a_fresh_data_directory_and_stops_it_without_leftovers() throws Exception {
        PurifierHost host = PurifierHost.start(INSTALLATION);
        Path data;
        ProcessHandle server;
        List<ProcessHandle> children;
        try {
            data = host.dataDirectory().orElseThrow();
            server = host.process().orElseThrow();
            assertTrue(Files.isRegularFile(data.resolve("admin-token")), "the first start writes the admin token");
            assertFalse(Files.exists(INSTALLATION.resolve("data").resolve("server.json")), "the installation's data is not used");
            HttpResponse<String> bundles = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(host.url() + "/api/bundles"))
                    .header("Authorization", "Bearer " + host.token()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, bundles.statusCode(), bundles.body());
            assertTrue(bundles.body().contains("io.purifier.defense-ft"), bundles.body());

            Path builtIn;
            try (var jars = Files.list(INSTALLATION.resolve("bundles"))) {
                builtIn = jars.filter(j -> j.getFileName().toString().matches("defense-ft-\\d.*\\.jar")).findFirst().orElseThrow();
            }
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> host.deploy(builtIn));
            assertTrue(refused.getMessage().startsWith("the dry run of " + builtIn.getFileName() + " was refused: 409 "),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("built in"), refused.getMessage());
            children = server.descendants().toList();
        } finally {
            host.close();
        }
        assertFalse(server.isAlive(), "the server process is stopped");
        assertTrue(children.stream().noneMatch(ProcessHandle::isAlive), "and every process it started");
        assertFalse(Files.exists(data), "the temporary data directory is deleted");
    }

    @Test
    void a_directory_that_is_no_installation_is_named_in_the_error() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PurifierHost.start(Path.of("target")));
        assertTrue(e.getMessage().contains("is not a Purifier installation") && e.getMessage().contains("purifier.home"),
                e.getMessage());
    }
}
