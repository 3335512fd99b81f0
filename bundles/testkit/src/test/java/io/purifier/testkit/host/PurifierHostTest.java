package io.purifier.testkit.host;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The harness's errors before any server is involved: each names the setting or file that is wrong. */
class PurifierHostTest {

    @AfterEach
    void clear() {
        System.clearProperty(PurifierHost.HOME_PROPERTY);
        System.clearProperty(PurifierHost.URL_PROPERTY);
        System.clearProperty(PurifierHost.TOKEN_PROPERTY);
        System.clearProperty(PurifierHost.BUNDLE_PROPERTY);
    }

    @Test
    void without_an_installation_the_error_names_the_property_and_the_variable() {
        assumeTrue(System.getenv(PurifierHost.HOME_ENV) == null, "PURIFIER_HOME is set in this environment");
        IllegalStateException e = assertThrows(IllegalStateException.class, PurifierHost::start);
        assertTrue(e.getMessage().contains("set the system property purifier.home") && e.getMessage().contains("PURIFIER_HOME"),
                e.getMessage());
    }

    @Test
    void a_directory_without_bin_purifier_is_no_installation(@TempDir Path dir) {
        System.setProperty(PurifierHost.HOME_PROPERTY, dir.toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, PurifierHost::start);
        assertEquals(dir.toAbsolutePath() + " (from purifier.home / PURIFIER_HOME) is not a Purifier installation: it has no "
                + "executable bin/purifier and lib/ folder", e.getMessage());
    }

    @Test
    void a_server_url_needs_a_token() {
        System.setProperty(PurifierHost.URL_PROPERTY, "http://127.0.0.1:7171");
        IllegalStateException e = assertThrows(IllegalStateException.class, PurifierHost::start);
        assertTrue(e.getMessage().contains("purifier.token gives no admin token"), e.getMessage());
    }

    @Test
    void attaching_starts_nothing_and_keeps_the_url_without_a_trailing_slash() throws Exception {
        System.setProperty(PurifierHost.URL_PROPERTY, "http://127.0.0.1:7171/");
        System.setProperty(PurifierHost.TOKEN_PROPERTY, "t0ken");
        try (PurifierHost host = PurifierHost.start()) {
            assertEquals(URI.create("http://127.0.0.1:7171"), host.url());
            assertEquals("t0ken", host.token());
            assertTrue(host.process().isEmpty() && host.dataDirectory().isEmpty());
            assertEquals("", host.serverLog());
        }
    }

    @Test
    void the_built_bundle_property_must_name_a_file(@TempDir Path dir) {
        IllegalStateException unset = assertThrows(IllegalStateException.class, PurifierHost::builtBundle);
        assertTrue(unset.getMessage().startsWith("the system property purifier.bundle is not set"), unset.getMessage());
        System.setProperty(PurifierHost.BUNDLE_PROPERTY, dir.resolve("x.jar").toString());
        IllegalStateException missing = assertThrows(IllegalStateException.class, PurifierHost::builtBundle);
        assertTrue(missing.getMessage().contains("x.jar, which is not a file"), missing.getMessage());
    }

    @Test
    void deploying_a_missing_jar_names_it_before_any_request() {
        PurifierHost host = PurifierHost.attach(URI.create("http://127.0.0.1:1"), "t");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> host.deploy(Path.of("target/none.jar")));
        assertTrue(e.getMessage().startsWith("no bundle jar at ") && e.getMessage().endsWith("none.jar (run mvn package first)"),
                e.getMessage());
    }
}
