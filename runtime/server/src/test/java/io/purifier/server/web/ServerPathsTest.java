package io.purifier.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ServerPathsTest {

    private final ServerPaths paths = new ServerPaths(Path.of("/srv/purifier"), Path.of("/var/lib/purifier"));

    @Test
    void the_data_directory_and_the_installation_disappear_from_messages() {
        assertEquals("cannot read data/models/m-1/x.h5", paths.scrub("cannot read /var/lib/purifier/models/m-1/x.h5"));
        assertEquals("no bundle in deploy/x.jar", paths.scrub("no bundle in /srv/purifier/deploy/x.jar"));
        assertEquals("roots [data/datasets, conf/datasets, /usr/share/datasets]",
                paths.scrub("roots [/var/lib/purifier/datasets, /srv/purifier/conf/datasets, /usr/share/datasets]"));
        assertEquals("the data directory data is full", paths.scrub("the data directory /var/lib/purifier is full"));
        assertNull(paths.scrub(null));
    }

    @Test
    void every_string_of_a_record_tree_is_scrubbed() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var tree = paths.scrubTree(json, Map.of("error", "at /srv/purifier/conf/x", "steps",
                List.of(Map.of("message", "/var/lib/purifier/runs/1"), 3)));
        assertEquals(json.readTree("{\"error\":\"at conf/x\",\"steps\":[{\"message\":\"data/runs/1\"},3]}"), tree);
    }
}
