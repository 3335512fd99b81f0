package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pipeline as the server's API shows it back (its directories made short), for comparisons with the history. */
class HistoryFormTest {

    final ObjectMapper json = new ObjectMapper();

    private ObjectNode pipeline(String... directories) {
        ObjectNode p = json.createObjectNode().put("name", "bench[t] cnn/badnets/bcu-ood").put("seed", 3);
        var list = p.putArray("dirs");
        for (String d : directories) {
            list.addObject().put("directory", d);
        }
        return p;
    }

    @Test
    void paths_under_the_installation_become_relative_and_the_data_directory_becomes_data() {
        HistoryForm form = HistoryForm.of(Path.of("/opt/p"), Path.of("/opt/p/data"));
        JsonNode shown = form.apply(pipeline("/opt/p/conf/datasets/x", "/opt/p", "/opt/p/data/datasets/y",
                "/usr/share/datasets/fashion-mnist", "not a path"));
        assertEquals(json.valueToTree(java.util.List.of("conf/datasets/x", ".", "data/datasets/y",
                "/usr/share/datasets/fashion-mnist", "not a path")), json.valueToTree(shown.findValuesAsText("directory")));
        assertEquals(3, shown.get("seed").asInt(), "numbers are left alone");
    }

    @Test
    void a_data_directory_outside_the_installation_is_shown_as_data_too() {
        HistoryForm form = HistoryForm.of(Path.of("/opt/p"), Path.of("/var/lib/purifier"));
        JsonNode shown = form.apply(pipeline("/var/lib/purifier/uploads/z", "/opt/p/conf/a"));
        assertEquals(java.util.List.of("data/uploads/z", "conf/a"), shown.findValuesAsText("directory"));
    }

    @Test
    void the_original_is_not_changed_and_as_is_changes_nothing() {
        ObjectNode original = pipeline("/opt/p/conf/datasets/x");
        JsonNode before = original.deepCopy();
        HistoryForm.of(Path.of("/opt/p"), Path.of("/opt/p/data")).apply(original);
        assertEquals(before, original);
        assertEquals(before, HistoryForm.AS_IS.apply(original));
    }
}
