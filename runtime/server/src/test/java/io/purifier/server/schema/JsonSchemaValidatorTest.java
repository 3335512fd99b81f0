package io.purifier.server.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonSchemaValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SCHEMA = """
            {"type": "object", "required": ["id", "step"], "additionalProperties": false,
             "properties": {
               "id": {"type": "string", "maxLength": 5},
               "seed": {"type": "integer", "minimum": 0, "maximum": 9223372036854775807},
               "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
               "mode": {"type": "string", "enum": ["a", "b"]},
               "flag": {"type": "boolean"},
               "params": {"type": "object"},
               "step": {"$ref": "#/$defs/Step"},
               "steps": {"type": "array", "items": {"$ref": "#/$defs/Step"}}},
             "$defs": {"Step": {"type": "object", "required": ["name"], "additionalProperties": false,
                                "properties": {"name": {"type": "string"}, "count": {"type": "integer", "minimum": 1}}}}}
            """;

    private static List<SchemaProblem> check(String document) throws Exception {
        return new JsonSchemaValidator(JSON.readTree(SCHEMA), "doc").problems(JSON.readTree(document));
    }

    private static String lines(List<SchemaProblem> problems) {
        return String.join("\n", problems.stream().map(p -> p.path() + " | " + p.value() + " | " + p.message()
                + (p.shape() ? " | shape" : "")).toList());
    }

    @Test
    void a_conforming_document_has_no_problems() throws Exception {
        assertEquals(List.of(), check("""
                {"id": "x", "seed": 9223372036854775807, "ratio": 1, "mode": "b", "flag": true, "params": {"any": [1]},
                 "step": {"name": "n", "count": 2.0}, "steps": []}"""));
    }

    @Test
    void reports_every_problem_with_its_json_path_in_document_order() throws Exception {
        String report = lines(check("""
                {"id": "toolong", "seed": -1, "ratio": 0, "mode": "c", "flag": "yes", "params": [],
                 "step": {"count": 0, "extra": 1}, "steps": [{"name": "ok"}, {"name": 3}, 7], "typo": {}}"""));
        assertEquals("""
                id | toolong | must be at most 5 characters
                seed | -1 | must be at least 0
                ratio | 0 | must be more than 0
                mode | c | must be one of [a, b]
                flag | yes | expected true or false, got "yes" | shape
                params | null | expected an object, got a list | shape
                step.name | null | a value is required | shape
                step.count | 0 | must be at least 1
                step.extra | 1 | unknown member 'extra'; allowed here: count, name | shape
                steps[1].name | 3 | expected text, got 3 | shape
                steps[2] | 7 | expected an object, got 7 | shape
                typo | null | unknown member 'typo'; allowed here: flag, id, mode, params, ratio, seed, step, steps | shape""",
                report);
    }

    @Test
    void whole_numbers_are_integers_even_when_written_with_a_fraction_and_big_values_compare_exactly() throws Exception {
        assertEquals(List.of(), check("{\"id\": \"x\", \"step\": {\"name\": \"n\"}, \"seed\": 5.0}"));
        assertEquals("seed | 2.5 | expected a whole number, got 2.5 | shape",
                lines(check("{\"id\": \"x\", \"step\": {\"name\": \"n\"}, \"seed\": 2.5}")));
        assertEquals("seed | 9223372036854775808 | must be at most 9223372036854775807",
                lines(check("{\"id\": \"x\", \"step\": {\"name\": \"n\"}, \"seed\": 9223372036854775808}")));
    }

    @Test
    void missing_required_members_and_a_wrong_document_type_name_the_place() throws Exception {
        assertEquals("id | null | a value is required | shape\nstep | null | a value is required | shape", lines(check("{}")));
        assertEquals("doc | null | expected an object, got a list | shape", lines(check("[]")));
        assertEquals("doc | x | expected an object, got \"x\" | shape", lines(check("\"x\"")));
    }

    @Test
    void refuses_a_schema_with_a_keyword_it_would_not_check() throws Exception {
        JsonNode pattern = JSON.readTree("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"pattern\": \"^x\"}}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new JsonSchemaValidator(pattern, "doc"));
        assertTrue(e.getMessage().contains("'pattern' at #/properties/a"), e.getMessage());
        JsonNode dangling = JSON.readTree("{\"$ref\": \"#/$defs/Nope\"}");
        assertThrows(IllegalArgumentException.class, () -> new JsonSchemaValidator(dangling, "doc"));
        JsonNode union = JSON.readTree("{\"type\": [\"string\", \"null\"]}");
        assertThrows(IllegalArgumentException.class, () -> new JsonSchemaValidator(union, "doc"));
    }
}
