package io.purifier.server.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.purifier.api.param.ParamProblem;
import io.purifier.server.schema.SchemaProblem;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline schema: the committed copy is the generated one, the shipped example pipelines conform, and a
 * document is checked for unknown members, wrong types, missing members and bounds before it is read.
 */
class PipelineSchemaTest {

    /** Set this system property to rewrite {@code docs/pipeline.schema.json} from the Java types. */
    static final String UPDATE = "purifier.schema.update";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPO = Path.of("..", "..");
    private static final Path COMMITTED = REPO.resolve("docs/pipeline.schema.json");

    @Test
    void the_committed_schema_is_the_one_generated_from_the_java_types() throws IOException {
        if (Boolean.getBoolean(UPDATE)) {
            Files.writeString(COMMITTED, PipelineSchema.text());
        }
        assertTrue(Files.exists(COMMITTED), COMMITTED.toAbsolutePath() + " is missing; " + howToRegenerate());
        assertEquals(PipelineSchema.text(), Files.readString(COMMITTED),
                "docs/pipeline.schema.json differs from the schema generated from PipelineSpec; " + howToRegenerate());
    }

    private static String howToRegenerate() {
        return "regenerate it with: mvn -q -pl runtime/server -am test -Dtest=PipelineSchemaTest "
                + "-Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE + "=true";
    }

    @Test
    void every_shipped_example_pipeline_conforms() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> conf = Files.walk(REPO.resolve("conf/pipelines"))) {
            conf.filter(p -> p.toString().endsWith(".json")).forEach(files::add);
        }
        files.add(REPO.resolve("web-ui/src/main/resources/public/data/example-pipeline.json"));
        assertTrue(files.size() >= 3, files.toString());
        for (Path file : files) {
            JsonNode document = JSON.readTree(file.toFile());
            assertEquals(List.of(), PipelineSchema.problems(document), file.toString());
            assertEquals(document.path("dataset").path("id").asText(), PipelineSchema.read(document).dataset().id(), file.toString());
        }
    }

    @Test
    void reading_reports_unknown_members_wrong_types_and_missing_members_together() throws IOException {
        JsonNode bad = JSON.readTree("""
                {"seed": "42", "modle": {}, "dataset": {"id": 7, "params": []},
                 "defenses": [{"id": "npd", "data": {"fraction": 2, "datasett": {"id": "x"}}}, {}],
                 "limits": {"stepTimeoutSeconds": 0}}""");
        PipelineInvalidException e = assertThrows(PipelineInvalidException.class, () -> PipelineSchema.read(bad));
        assertEquals(List.of(
                "model = null: a value is required",
                "seed = 42: expected a whole number, got \"42\"",
                "modle = null: unknown member 'modle'; allowed here: $schema, attack, dataset, defenses, limits, metrics, model, name, resources, robustness, seed",
                "dataset.id = 7: expected text, got 7",
                "dataset.params = null: expected an object, got a list",
                "defenses[0].data.fraction = 2: must be at most 1",
                "defenses[0].data.datasett = null: unknown member 'datasett'; allowed here: dataset, fraction",
                "defenses[1].id = null: a value is required",
                "limits.stepTimeoutSeconds = 0: must be at least 1"),
                e.problems().stream().map(ParamProblem::toString).toList());
    }

    @Test
    void values_out_of_bounds_are_read_and_left_to_the_validator() throws IOException {
        JsonNode document = JSON.readTree("""
                {"seed": -1, "dataset": {"id": "d"}, "model": {"source": "stored", "modelId": "m-1"},
                 "name": "%s"}""".formatted("x".repeat(201)));
        List<SchemaProblem> problems = PipelineSchema.problems(document);
        assertEquals(List.of("seed", "name"), problems.stream().map(SchemaProblem::path).toList());
        assertFalse(problems.stream().anyMatch(SchemaProblem::shape));
        PipelineSpec spec = PipelineSchema.read(document);
        assertEquals(-1L, spec.seed());
        assertEquals(List.of("name", "seed"), PipelineSchema.problems(spec).stream().map(ParamProblem::parameter).toList());
    }

    @Test
    void null_members_count_as_left_out_and_a_schema_address_is_ignored() throws IOException {
        JsonNode document = JSON.readTree("""
                {"$schema": "../docs/pipeline.schema.json", "name": null, "attack": null,
                 "dataset": {"id": "d", "params": {"size": null}},
                 "model": {"source": "stored", "modelId": null}, "limits": {"stepTimeoutSeconds": null}}""");
        assertEquals(List.of(), PipelineSchema.problems(document));
        PipelineSpec spec = PipelineSchema.read(document);
        assertNull(spec.attack());
        assertNull(spec.model().modelId());
        assertEquals(PipelineSpec.ModelSource.Source.STORED, spec.model().source());
        assertTrue(spec.dataset().params().containsKey("size"), "parameter maps keep their nulls for the descriptors");
    }

    @Test
    void a_seed_up_to_the_largest_64_bit_value_is_read_exactly() throws IOException {
        PipelineSpec spec = PipelineSchema.read(JSON.readTree("""
                {"seed": 9223372036854775807, "dataset": {"id": "d"}, "model": {"source": "train", "architecture": {"id": "a"}}}"""));
        assertEquals(Long.MAX_VALUE, spec.seed());
        PipelineInvalidException e = assertThrows(PipelineInvalidException.class, () -> PipelineSchema.read(JSON.readTree("""
                {"seed": 9223372036854775808, "dataset": {"id": "d"}, "model": {"source": "train"}}""")));
        assertEquals("seed = 9223372036854775808: must be at most 9223372036854775807", e.problems().get(0).toString());
    }

    @Test
    void the_document_itself_must_be_an_object() {
        PipelineInvalidException e = assertThrows(PipelineInvalidException.class,
                () -> PipelineSchema.read(JSON.getNodeFactory().arrayNode()));
        assertEquals("pipeline = null: expected an object, got a list", e.problems().get(0).toString());
    }

    @Test
    void paths_sort_in_the_order_of_the_schema_and_list_indices() {
        List<String> paths = new ArrayList<>(List.of("limits.stepTimeoutSeconds", "defenses[10].id", "defenses[2].data.fraction",
                "defenses[2].params.z", "seed", "pipeline", "dataset.id", "defenses[2].id", "typo", "name"));
        paths.sort(PipelineSchema.documentOrder());
        assertEquals(List.of("pipeline", "name", "seed", "dataset.id", "defenses[2].id", "defenses[2].params.z",
                "defenses[2].data.fraction", "defenses[10].id", "limits.stepTimeoutSeconds", "typo"), paths);
    }
}
