package io.purifier.server;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {

    @Test
    void defaults_bind_loopback_and_put_data_under_home() {
        ServerConfig c = ServerConfig.from(Path.of("/opt/purifier"), new Properties());
        assertEquals("127.0.0.1", c.bindAddress());
        assertEquals(7171, c.port());
        assertEquals(1, c.executor().localSlots());
        assertEquals(Path.of("/opt/purifier/data"), c.dataDir());
        assertEquals(Path.of("/opt/purifier/data/cache"), c.cacheDir());
        assertEquals("local", c.executor().kind());
        assertTrue(c.executor().workerJvmOptions().contains("-Xmx2g"), c.executor().workerJvmOptions().toString());
        assertEquals(Duration.ofSeconds(30), c.executor().cancelGrace());
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
        assertEquals(2, c.executor().localSlots(), "runs.threads is the older name of executor.local.slots");
        assertEquals(Path.of("/var/lib/purifier/cache"), c.cacheDir());
        assertEquals(java.util.List.of(Path.of("/opt/p/sets"), Path.of("/srv/data")), c.dataRoots());
    }

    @Test
    void reads_the_executor_settings_and_a_shared_cache_folder() {
        Properties p = new Properties();
        p.setProperty("executor.local.slots", "3");
        p.setProperty("executor.local.jvmOptions", " -Xmx512m   -XX:+UseSerialGC ");
        p.setProperty("executor.heartbeatTimeoutSeconds", "60");
        p.setProperty("cache.dir", "/shared/purifier-cache");
        ServerConfig c = ServerConfig.from(Path.of("/opt/p"), p);
        assertEquals(3, c.executor().localSlots());
        assertEquals(java.util.List.of("-Xmx512m", "-XX:+UseSerialGC"), c.executor().workerJvmOptions());
        assertEquals(Duration.ofSeconds(60), c.executor().heartbeatTimeout());
        assertEquals(Path.of("/shared/purifier-cache"), c.cacheDir());
    }

    @Test
    void reads_the_slurm_executor_settings_with_their_defaults() {
        Properties p = new Properties();
        p.setProperty("executor", "slurm");
        p.setProperty("executor.slurm.partition", "gpu");
        p.setProperty("executor.slurm.sbatchArgs", "--account=lab --qos=short");
        p.setProperty("executor.slurm.serverUrl", "http://head.cluster:7171");
        p.setProperty("executor.slurm.jobsDir", "/shared/purifier-jobs");
        p.setProperty("executor.slurm.conf", "conf/slurm.conf");
        ServerConfig c = ServerConfig.from(Path.of("/opt/p"), p);
        var s = c.executor().slurm();
        assertEquals("slurm", c.executor().kind());
        assertEquals("gpu", s.partition());
        assertEquals(java.util.List.of("--account=lab", "--qos=short"), s.sbatchArgs());
        assertEquals(java.net.URI.create("http://head.cluster:7171"), s.serverUrl());
        assertEquals(Path.of("/shared/purifier-jobs"), s.jobsDir());
        assertEquals(Path.of("/opt/p/conf/slurm.conf"), s.slurmConf());
        assertEquals(100, s.maxJobs());
        assertEquals(2, s.cpus());
        assertEquals(8192, s.memoryMb());
        assertEquals(Duration.ZERO, s.timeLimit());
        assertEquals(Duration.ofSeconds(5), s.pollInterval());
        assertEquals("sbatch", s.command("sbatch"));
        assertEquals(c.executor().workerJvmOptions(), s.jvmOptions(), "the local workers' JVM options by default");
        p.setProperty("executor.slurm.serverUrl", "ftp://x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(Path.of("/x"), p));
        assertEquals("setting executor.slurm.serverUrl = 'ftp://x' is not an http(s) URL", e.getMessage());
        p.remove("executor.slurm.serverUrl");
        p.setProperty("executor.slurm.sbatchArgs", "--qos=short lab");
        e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(Path.of("/x"), p));
        assertEquals("setting executor.slurm.sbatchArgs: 'lab' is not an sbatch option (write --name=value)", e.getMessage());
    }

    @Test
    void refuses_an_unknown_executor_and_options_that_are_not_jvm_options() {
        Properties p = new Properties();
        p.setProperty("executor", "kubernetes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(Path.of("/x"), p));
        assertEquals("setting executor = 'kubernetes' is unknown (this build has: local, slurm)", e.getMessage());
        p.setProperty("executor", "local");
        p.setProperty("executor.local.jvmOptions", "-Xmx1g Xss4m");
        e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(Path.of("/x"), p));
        assertTrue(e.getMessage().contains("'Xss4m' is not a JVM option"), e.getMessage());
    }

    @Test
    void reads_the_training_checkpoint_interval_with_off_and_a_bad_value_named() {
        assertEquals(java.time.Duration.ofMinutes(5), ServerConfig.from(Path.of("/x"), new Properties()).trainingCheckpoints());
        Properties p = new Properties();
        p.setProperty("training.checkpointMinutes", "0");
        assertEquals(java.time.Duration.ZERO, ServerConfig.from(Path.of("/x"), p).trainingCheckpoints());
        p.setProperty("training.checkpointMinutes", " Off ");
        assertNull(ServerConfig.from(Path.of("/x"), p).trainingCheckpoints());
        p.setProperty("training.checkpointMinutes", "often");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(Path.of("/x"), p));
        assertEquals("setting training.checkpointMinutes = 'often' is neither a whole number of minutes nor 'off'", e.getMessage());
        p.setProperty("training.checkpointMinutes", "-3");
        e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(Path.of("/x"), p));
        assertTrue(e.getMessage().contains("training.checkpointMinutes"), e.getMessage());
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
