package io.purifier.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {

    @Test
    void defaults_bind_loopback_and_put_data_under_home() {
        ServerConfig c = ServerConfig.from(Path.of("/opt/purifier"), new Properties());
        assertEquals("127.0.0.1", c.bindAddress());
        assertEquals(7171, c.port());
        assertEquals(1, c.executorThreads());
        assertEquals(Path.of("/opt/purifier/data"), c.dataDir());
        assertEquals(Path.of("/opt/purifier/deploy"), c.deployDir());
        assertEquals(Duration.ofHours(6), c.stepTimeout());
        assertTrue(c.dataRoots().contains(Path.of("/usr/share/datasets")));
        assertTrue(c.dataRoots().contains(Path.of("/opt/purifier/conf/datasets")));
    }

    @Test
    void the_shipped_configuration_lets_pipelines_read_the_shipped_out_of_distribution_digits() throws Exception {
        Path repo = Path.of("../..").toAbsolutePath().normalize();
        ServerConfig c = ServerConfig.load(repo, Map.of());
        Path digits = repo.resolve(TestHome.SHIPPED_DIGITS);
        assertTrue(c.dataRoots().stream().anyMatch(digits::startsWith), digits + " is outside the roots " + c.dataRoots());
        assertTrue(Files.exists(digits.resolve("train-images-idx3-ubyte.gz")));
        assertTrue(Files.exists(digits.resolve("train-labels-idx1-ubyte.gz")));
    }

    @Test
    void reads_and_resolves_settings() {
        Properties p = new Properties();
        p.setProperty("http.port", "8080");
        p.setProperty("data.dir", "/var/lib/purifier");
        p.setProperty("runs.threads", "2");
        p.setProperty("data.roots", "sets, /srv/data");
        ServerConfig c = ServerConfig.from(Path.of("/opt/p"), p);
        assertEquals(8080, c.port());
        assertEquals(Path.of("/var/lib/purifier"), c.dataDir());
        assertEquals(2, c.executorThreads());
        assertEquals(java.util.List.of(Path.of("/opt/p/sets"), Path.of("/srv/data")), c.dataRoots());
    }

    @Test
    void names_the_key_of_a_bad_value() {
        Properties p = new Properties();
        p.setProperty("http.port", "seventy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(Path.of("/x"), p));
        assertTrue(e.getMessage().contains("http.port") && e.getMessage().contains("seventy"), e.getMessage());
        p.setProperty("http.port", "70000");
        e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(Path.of("/x"), p));
        assertTrue(e.getMessage().contains("http.port = 70000"), e.getMessage());
    }
}
