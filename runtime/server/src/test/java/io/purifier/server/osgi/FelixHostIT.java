package io.purifier.server.osgi;

import io.purifier.api.PluginKind;
import io.purifier.api.defense.Defense;
import io.purifier.server.TestBundles;
import io.purifier.server.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.framework.Bundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real Felix framework with SCR and FileInstall; plugin bundles are not on the class path. */
class FelixHostIT {

    @TempDir
    Path dir;
    FelixHost host;
    PluginRegistry registry;

    @BeforeEach
    void start() throws Exception {
        Path home = TestHome.create(dir, true);
        host = FelixHost.start(home.resolve("bundles"), home.resolve("deploy"), dir.resolve("cache"), 100, Map.of());
        registry = new PluginRegistry(host.context());
    }

    @AfterEach
    void stop() {
        registry.close();
        host.close();
    }

    private Optional<Bundle> bundle(String bsn) {
        return Arrays.stream(host.context().getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst();
    }

    @Test
    void built_in_plugins_of_every_kind_are_registered_through_declarative_services() {
        TestBundles.await("sample plugins of all kinds", 10_000, () -> Arrays.stream(PluginKind.values()).allMatch(k -> !registry.list(k).isEmpty()));
        assertEquals(List.of("sample-shrink"), registry.ids(PluginKind.DEFENSE));
        ComponentInfo defense = registry.list(PluginKind.DEFENSE).get(0);
        assertEquals("io.purifier.sample-plugins", defense.bundle().symbolicName());
        assertEquals(64, defense.bundle().sha256().length());
        assertEquals("LABELED_CLEAN", defense.dataContract().kind().name());
        assertEquals(List.of("factor", "failMode", "seconds", "megabytes"), defense.parameters().stream().map(p -> p.name()).toList());
        assertTrue(registry.find(PluginKind.DEFENSE, "sample-shrink", Defense.class).isPresent());
        assertTrue(registry.find(PluginKind.DEFENSE, "missing", Defense.class).isEmpty());
    }

    @Test
    void bundles_share_the_hosts_nd4j_and_api_classes() throws Exception {
        Bundle sample = bundle("io.purifier.sample-plugins").orElseThrow();
        assertEquals(Bundle.ACTIVE, sample.getState());
        assertSame(Nd4j.class, sample.loadClass("org.nd4j.linalg.factory.Nd4j"));
        assertSame(Defense.class, sample.loadClass("io.purifier.api.defense.Defense"));
    }

    @Test
    void a_jar_dropped_into_deploy_is_started_updated_and_removed_without_restart() throws Exception {
        Path source = TestHome.itBundles().resolve(TestHome.SAMPLE_PLUGINS);
        Path deployed = host.deployDir().resolve("copy.jar");
        TestBundles.withIdentity(source, deployed, "io.purifier.sample-copy", "1.0.0");
        long listed = TestBundles.await("deployed bundle's defense listed", 2_000, () -> registry.list(PluginKind.DEFENSE).stream()
                .anyMatch(c -> c.bundle().symbolicName().equals("io.purifier.sample-copy")));
        assertTrue(listed < 2_000);

        TestBundles.withIdentity(source, deployed, "io.purifier.sample-copy", "1.1.0");
        TestBundles.await("updated to 1.1.0", 3_000, () -> bundle("io.purifier.sample-copy")
                .map(b -> b.getVersion().toString().equals("1.1.0") && b.getState() == Bundle.ACTIVE).orElse(false));
        TestBundles.await("updated services re-registered", 3_000, () -> registry.list(PluginKind.DEFENSE).stream()
                .anyMatch(c -> c.bundle().version().equals("1.1.0")));

        Files.delete(deployed);
        TestBundles.await("removed bundle gone", 2_000, () -> bundle("io.purifier.sample-copy").isEmpty());
        assertEquals(1, registry.list(PluginKind.DEFENSE).size());
    }

    @Test
    void registry_listeners_hear_additions_and_removals() throws Exception {
        List<String> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        registry.addListener(c -> changes.add(c.change() + ":" + c.kind().jsonName() + ":" + c.id() + ":" + c.bundle()));
        Path deployed = host.deployDir().resolve("copy.jar");
        TestBundles.withIdentity(TestHome.itBundles().resolve(TestHome.SAMPLE_PLUGINS), deployed, "io.purifier.sample-copy", "1.0.0");
        TestBundles.await("added events", 3_000, () -> changes.contains("added:defense:sample-shrink:io.purifier.sample-copy"));
        Files.delete(deployed);
        TestBundles.await("removed events", 3_000, () -> changes.stream().anyMatch(c -> c.startsWith("removed:defense:sample-shrink")));
    }
}
