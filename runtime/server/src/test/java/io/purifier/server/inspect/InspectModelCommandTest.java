package io.purifier.server.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectModelCommandTest {

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void parses_file_format_params_and_cache() throws Exception {
        InspectModelCommand.Options o = InspectModelCommand.parse(List.of("--inspect-model", "m.h5", "--format", "keras-h5",
                "--params", "{\"classNames\":\"a,b\"}", "--felix-cache", "c"), json);
        assertEquals(Path.of("m.h5"), o.file());
        assertEquals("keras-h5", o.formatId());
        assertEquals(Map.of("classNames", "a,b"), o.params());
        assertEquals(Path.of("c"), o.felixCache());
    }

    @Test
    void reads_params_from_a_file_named_with_an_at_sign() throws Exception {
        Path params = Files.writeString(dir.resolve("p.json"), "{\"mean\":[0.5]}");
        InspectModelCommand.Options o = InspectModelCommand.parse(List.of("--format", "x", "--inspect-model", "f",
                "--params", "@" + params), json);
        assertEquals(Map.of("mean", List.of(0.5)), o.params());
        assertNull(o.felixCache());
    }

    @Test
    void bad_usage_names_the_problem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InspectModelCommand.parse(List.of("--inspect-model", "f"), json))
                .getMessage().contains("--format"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InspectModelCommand.parse(
                List.of("--inspect-model", "f", "--format", "x", "--params", "[1]"), json)).getMessage().contains("JSON object"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InspectModelCommand.parse(
                List.of("--inspect-model", "f", "--format", "x", "--bogus"), json)).getMessage().contains("--bogus"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> InspectModelCommand.parse(
                List.of("--inspect-model"), json)).getMessage().contains("needs a value"));
    }

    @Test
    void the_worker_word_selects_inspect_mode_only_with_its_option() {
        assertTrue(InspectModelCommand.handles(List.of("--inspect-model", "f", "--format", "x")));
        assertFalse(InspectModelCommand.handles(List.of("--server", "http://x", "--run", "1")));
    }

    @Test
    void help_prints_usage_and_succeeds() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, InspectModelCommand.run(dir, List.of("--inspect-model", "--help"), new PrintStream(out)));
        assertTrue(out.toString().startsWith("Usage: purifier worker --inspect-model"));
    }

    @Test
    void messages_show_the_client_file_name_instead_of_the_server_path() {
        Path file = Path.of("/srv/purifier/data/tmp/upload123.tmp");
        assertEquals("cannot read m.h5: bad header", ModelInspector.scrub("cannot read /srv/purifier/data/tmp/upload123.tmp: bad header", file, "m.h5"));
        assertEquals("m.h5 is broken", ModelInspector.scrub("upload123.tmp is broken", file, "m.h5"));
        assertEquals("x in (upload)", ModelInspector.scrub("x in /srv/purifier/data/tmp", file, "m.h5"));
    }
}
