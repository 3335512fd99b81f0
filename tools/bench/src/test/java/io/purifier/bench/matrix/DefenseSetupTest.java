package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefenseSetupTest {

    @TempDir
    Path dir;

    private static List<String> labels(List<DefenseSetup> columns) {
        return columns.stream().map(DefenseSetup::label).toList();
    }

    @Test
    void the_component_list_says_which_parameters_are_variants_and_what_data_a_defense_takes() {
        InstalledDefense wiper = Components.wiper();
        assertEquals(List.of(new InstalledDefense.Variant("variant", "reference", List.of("reference", "corrected"))), wiper.variants());
        assertTrue(wiper.parameters().contains("epochs"));
        assertTrue(wiper.takesData());
        assertFalse(wiper.takesUnlabeledData());
        assertTrue(Components.bcu().otherDatasetsAllowed());
        assertFalse(Components.prune().takesData());
    }

    @Test
    void a_variant_parameter_adds_one_column_per_other_choice_and_other_choices_do_not() {
        List<DefenseSetup> columns = DefenseSetup.columnsOf(Components.wiper(), dir);
        assertEquals(List.of("wiper", "wiper-corrected"), labels(columns));
        assertEquals(Map.of(), columns.get(0).params());
        assertEquals(Map.of("variant", "corrected"), columns.get(1).params());
        assertEquals("wiper", columns.get(1).defenseId());
    }

    @Test
    void an_unlabeled_defense_that_allows_other_datasets_gets_an_ood_column_only_when_there_is_a_directory() {
        List<DefenseSetup> withDir = DefenseSetup.columnsOf(Components.bcu(), dir);
        assertEquals(List.of("bcu", "bcu-ood"), labels(withDir));
        assertEquals(Map.of("id", "idx", "params", Map.of("directory", dir.toAbsolutePath().toString())), withDir.get(1).oodDataset());
        assertEquals(List.of("bcu"), labels(DefenseSetup.columnsOf(Components.bcu(), dir.resolve("missing"))));
        assertEquals(List.of("bcu"), labels(DefenseSetup.columnsOf(Components.bcu(), null)), "no idx plugin, no OOD column");
        assertEquals(List.of("npd"), labels(DefenseSetup.columnsOf(Components.npd(), dir)));
    }

    @Test
    void the_pipeline_of_a_column_carries_its_overrides_and_its_other_dataset() {
        List<DefenseSetup> columns = new ArrayList<>(DefenseSetup.columnsOf(Components.wiper(), dir));
        columns.addAll(DefenseSetup.columnsOf(Components.bcu(), dir));
        BenchPlan quick = BenchPlan.quick(List.of("badnets", "blended", "sig", "wanet"), columns);
        assertEquals(4 * (1 + 4), quick.cells().size());
        ObjectMapper json = new ObjectMapper();
        Map<String, InstalledDefense> defenses = Map.of("wiper", Components.wiper(), "bcu", Components.bcu());

        ObjectNode corrected = quick.pipeline(json, new BenchCell("small-cnn", "sig", "wiper-corrected"), defenses);
        ObjectNode step = (ObjectNode) corrected.path("defenses").get(0);
        assertEquals("wiper", step.path("id").asText());
        assertEquals("corrected", step.path("params").path("variant").asText());
        assertEquals(2, step.path("params").path("epochs").asInt(), "the quick plan's epoch cap still applies");
        assertEquals(0.05, step.path("data").path("fraction").asDouble());
        assertFalse(step.path("data").has("dataset"));
        assertEquals("bench[quick] small-cnn/sig/wiper-corrected", corrected.path("name").asText());

        ObjectNode ood = quick.pipeline(json, new BenchCell("small-cnn", "sig", "bcu-ood"), defenses);
        ObjectNode bcu = (ObjectNode) ood.path("defenses").get(0);
        assertEquals("bcu", bcu.path("id").asText());
        assertEquals(0.1, bcu.path("data").path("fraction").asDouble());
        assertEquals("idx", bcu.path("data").path("dataset").path("id").asText());
        assertEquals(dir.toAbsolutePath().toString(), bcu.path("data").path("dataset").path("params").path("directory").asText());
        assertTrue(quick.describe().get("defenses").toString().contains("bcu-ood"));
    }
}
