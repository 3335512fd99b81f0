package io.purifier.server.schema;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonSchemaGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @JsonClassDescription("An order.")
    record Order(
            @JsonProperty(required = true) @JsonPropertyDescription("Who ordered.") String customer,
            @JsonProperty(value = "qty", defaultValue = "1") @SchemaBounds(minimum = "1", maximum = "9223372036854775807") Long quantity,
            @SchemaBounds(exclusiveMinimum = "0", maximum = "0.5") Double discount,
            boolean gift,
            Speed speed,
            List<Line> lines,
            Map<String, Object> extras,
            Map<String, Line> named,
            @SchemaBounds(maxLength = 20) String note,
            @JsonIgnore String internal) {
    }

    record Line(@JsonProperty(required = true) String sku, int count) {
    }

    enum Speed {
        @JsonProperty("express") EXPRESS,
        STANDARD
    }

    record Broken(Set<Thread> threads) {
    }

    private static JsonNode schema() throws Exception {
        return JSON.readTree(JSON.writeValueAsString(JsonSchemaGenerator.generate(Order.class, "urn:test", "Order")));
    }

    @Test
    void writes_the_root_record_inline_with_its_annotations() throws Exception {
        JsonNode s = schema();
        assertEquals(JsonSchemaGenerator.DIALECT, s.get("$schema").asText());
        assertEquals("urn:test", s.get("$id").asText());
        assertEquals("Order", s.get("title").asText());
        assertEquals("An order.", s.get("description").asText());
        assertEquals("object", s.get("type").asText());
        assertEquals(false, s.get("additionalProperties").asBoolean());
        assertEquals("[\"customer\"]", s.get("required").toString());
        JsonNode p = s.get("properties");
        assertEquals(List.of("customer", "qty", "discount", "gift", "speed", "lines", "extras", "named", "note"),
                List.copyOf(iterable(p.fieldNames())));
        assertEquals("{\"description\":\"Who ordered.\",\"type\":\"string\"}", p.get("customer").toString());
        assertEquals("{\"type\":\"integer\",\"minimum\":1,\"maximum\":9223372036854775807,\"default\":1}", p.get("qty").toString());
        assertEquals("{\"type\":\"number\",\"exclusiveMinimum\":0,\"maximum\":0.5}", p.get("discount").toString());
        assertEquals("{\"type\":\"boolean\"}", p.get("gift").toString());
        assertEquals("{\"type\":\"string\",\"enum\":[\"express\",\"STANDARD\"]}", p.get("speed").toString());
        assertEquals("{\"type\":\"string\",\"maxLength\":20}", p.get("note").toString());
    }

    @Test
    void defines_nested_records_once_and_maps_lists_and_maps() throws Exception {
        JsonNode s = schema();
        JsonNode p = s.get("properties");
        assertEquals("{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/Line\"}}", p.get("lines").toString());
        assertEquals("{\"type\":\"object\"}", p.get("extras").toString());
        assertEquals("{\"type\":\"object\",\"additionalProperties\":{\"$ref\":\"#/$defs/Line\"}}", p.get("named").toString());
        assertEquals(List.of("Line"), List.copyOf(iterable(s.get("$defs").fieldNames())));
        assertEquals("{\"type\":\"object\",\"properties\":{\"sku\":{\"type\":\"string\"},\"count\":{\"type\":\"integer\"}},"
                + "\"required\":[\"sku\"],\"additionalProperties\":false}", s.get("$defs").get("Line").toString());
    }

    @Test
    void refuses_a_type_it_cannot_map_and_names_it() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonSchemaGenerator.generate(Broken.class, "urn:test", "Broken"));
        assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
