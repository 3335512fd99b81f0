package io.purifier.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.defense.DataContract;
import io.purifier.api.param.ParamDescriptor;
import io.purifier.api.param.ParamSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DefenseSetupTest {

    private static final ParamDescriptor WIPER = ParamDescriptor.of(
            ParamSpec.choice("variant", "reference", List.of("reference", "corrected"), "penalty form"),
            ParamSpec.integer("epochs", 10, 1, 100, "epochs"));
    private static final ParamDescriptor BCU = ParamDescriptor.of(ParamSpec.integer("epochs", 20, 1, 100, "epochs"));

    @TempDir
    Path dir;

    @Test
    void a_variant_parameter_adds_one_column_per_other_choice() {
        List<DefenseSetup> columns = DefenseSetup.columnsOf("wiper", WIPER, DataContract.labeledClean(0.05), dir);
        assertEquals(List.of("wiper", "wiper-corrected"), columns.stream().map(DefenseSetup::label).toList());
        assertEquals(Map.of(), columns.get(0).params());
        assertEquals(Map.of("variant", "corrected"), columns.get(1).params());
        assertEquals("wiper", columns.get(1).defenseId());
    }

    @Test
    void an_unlabeled_defense_that_allows_other_datasets_gets_an_ood_column_only_when_the_directory_exists() {
        List<DefenseSetup> withDir = DefenseSetup.columnsOf("bcu", BCU, DataContract.unlabeled(0.1, true), dir);
        assertEquals(List.of("bcu", "bcu-ood"), withDir.stream().map(DefenseSetup::label).toList());
        assertEquals(Map.of("id", "idx", "params", Map.of("directory", dir.toAbsolutePath().toString())),
                withDir.get(1).oodDataset());
        assertEquals(List.of("bcu"), DefenseSetup.columnsOf("bcu", BCU, DataContract.unlabeled(0.1, true),
                dir.resolve("missing")).stream().map(DefenseSetup::label).toList());
        assertEquals(List.of("bcu"), DefenseSetup.columnsOf("bcu", BCU, DataContract.unlabeled(0.1, false), dir)
                .stream().map(DefenseSetup::label).toList(), "a defense that refuses other datasets gets no OOD column");
        assertEquals(List.of("npd"), DefenseSetup.columnsOf("npd", ParamDescriptor.none(), DataContract.labeledClean(0.05), dir)
                .stream().map(DefenseSetup::label).toList());
    }

    @Test
    void the_pipeline_of_a_column_carries_its_overrides_and_its_other_dataset() {
        List<DefenseSetup> columns = new java.util.ArrayList<>(DefenseSetup.columnsOf("wiper", WIPER, DataContract.labeledClean(0.05), dir));
        columns.addAll(DefenseSetup.columnsOf("bcu", BCU, DataContract.unlabeled(0.1, true), dir));
        BenchPlan quick = BenchPlan.quick(columns);
        assertEquals(4 * (1 + 4), quick.cells().size());
        ObjectMapper json = new ObjectMapper();
        Map<String, DataContract> contracts = Map.of("wiper", DataContract.labeledClean(0.05), "bcu", DataContract.unlabeled(0.1, true));
        Map<String, ParamDescriptor> params = Map.of("wiper", WIPER, "bcu", BCU);

        ObjectNode corrected = quick.pipeline(json, new BenchCell("small-cnn", "sig", "wiper-corrected"), contracts, params);
        ObjectNode step = (ObjectNode) corrected.path("defenses").get(0);
        assertEquals("wiper", step.path("id").asText());
        assertEquals("corrected", step.path("params").path("variant").asText());
        assertEquals(2, step.path("params").path("epochs").asInt(), "the quick plan's epoch cap still applies");
        assertEquals(0.05, step.path("data").path("fraction").asDouble());
        assertFalse(step.path("data").has("dataset"));
        assertEquals("bench[quick] small-cnn/sig/wiper-corrected", corrected.path("name").asText());

        ObjectNode ood = quick.pipeline(json, new BenchCell("small-cnn", "sig", "bcu-ood"), contracts, params);
        ObjectNode bcu = (ObjectNode) ood.path("defenses").get(0);
        assertEquals("bcu", bcu.path("id").asText());
        assertEquals(0.1, bcu.path("data").path("fraction").asDouble());
        assertEquals("idx", bcu.path("data").path("dataset").path("id").asText());
        assertEquals(dir.toAbsolutePath().toString(), bcu.path("data").path("dataset").path("params").path("directory").asText());
        assertTrue(quick.describe().get("defenses").toString().contains("bcu-ood"));

        assertThrows(IllegalArgumentException.class,
                () -> quick.pipeline(json, new BenchCell("small-cnn", "sig", "npd"), contracts, params));
    }
}
