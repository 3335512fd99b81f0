package io.purifier.bench.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerBenchHomeTest {

    @TempDir
    Path dir;

    private static void bundle(Path jar, String bsn) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            m.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.flush();
        }
    }

    private Path installation() throws Exception {
        Path inst = dir.resolve("inst");
        Files.createDirectories(inst.resolve("bundles"));
        Files.createDirectories(inst.resolve("conf/pipelines"));
        Files.writeString(inst.resolve("conf/purifier.properties"),
                "http.port=7171\ndata.dir=" + dir.resolve("real-data") + "\ndata.roots=data/datasets,/usr/share/datasets\ndeploy.pollMillis=300\n");
        Files.writeString(inst.resolve("conf/pipelines/example.json"), "{}");
        bundle(inst.resolve("bundles/defense-bcu-0.1.0.jar"), "io.purifier.defense-bcu;singleton:=true");
        bundle(inst.resolve("bundles/defense-npd-0.1.0.jar"), "io.purifier.defense-npd");
        return inst;
    }

    @Test
    void copies_conf_and_bundles_except_the_held_out_one_with_its_own_data_and_an_ephemeral_port() throws Exception {
        Path inst = installation();
        Path root;
        try (ServerBenchHome home = ServerBenchHome.create(inst, "defense-bcu")) {
            root = home.home().getParent();
            assertEquals("io.purifier.defense-bcu", home.symbolicName());
            assertEquals("defense-bcu-0.1.0.jar", home.heldOutJar().getFileName().toString());
            assertFalse(home.heldOutJar().startsWith(home.home()), "the held-out jar is outside the installation");
            assertTrue(Files.exists(home.home().resolve("bundles/defense-npd-0.1.0.jar")));
            assertFalse(Files.exists(home.home().resolve("bundles/defense-bcu-0.1.0.jar")));
            assertTrue(Files.exists(home.home().resolve("conf/pipelines/example.json")));
            assertTrue(Files.isDirectory(home.home().resolve("deploy")));
            assertEquals(0, home.config().port());
            assertEquals("127.0.0.1", home.config().bindAddress());
            assertEquals(home.home().resolve("data"), home.config().dataDir());
            assertEquals(300, home.config().fileInstallPollMs());
            assertEquals(List.of(inst.resolve("data/datasets").toAbsolutePath().normalize(), Path.of("/usr/share/datasets")),
                    home.config().dataRoots(), "data roots stay those of the installation");
        }
        assertFalse(Files.exists(root), "closing deletes the temporary installation");
        assertFalse(Files.exists(dir.resolve("real-data")), "the installation's data directory is never touched");
    }

    @Test
    void the_deploy_jar_must_match_exactly_one_bundle() throws Exception {
        Path inst = installation();
        String none = assertThrows(IllegalArgumentException.class, () -> ServerBenchHome.create(inst, "attack-x")).getMessage();
        assertTrue(none.startsWith("no jar(s) in ") && none.contains("match --deploy-jar 'attack-x'; jars: defense-bcu-0.1.0.jar, defense-npd-0.1.0.jar"), none);
        String two = assertThrows(IllegalArgumentException.class, () -> ServerBenchHome.create(inst, "defense-")).getMessage();
        assertTrue(two.startsWith("2 jar(s) in "), two);
        assertEquals("defense-npd-0.1.0.jar", ServerBenchHome.choose(
                List.of(inst.resolve("bundles/defense-npd-0.1.0.jar")), "defense-npd-0.1.0.jar", inst).getFileName().toString());
    }

    @Test
    void a_jar_without_a_symbolic_name_is_refused() throws Exception {
        Path inst = installation();
        bundle(inst.resolve("bundles/plain.jar"), null);
        String message = assertThrows(IllegalArgumentException.class, () -> ServerBenchHome.create(inst, "plain")).getMessage();
        assertTrue(message.endsWith("plain.jar is not an OSGi bundle (no Bundle-SymbolicName)"), message);
    }
}
