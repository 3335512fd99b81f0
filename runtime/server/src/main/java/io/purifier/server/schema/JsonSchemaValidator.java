package io.purifier.server.schema;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks JSON documents against a schema written by {@link JsonSchemaGenerator}: the draft 2020-12 keywords
 * {@code type}, {@code properties}, {@code required}, {@code additionalProperties}, {@code items}, {@code enum},
 * {@code minimum}, {@code exclusiveMinimum}, {@code maximum}, {@code exclusiveMaximum}, {@code minLength},
 * {@code maxLength} and local {@code $ref}s into {@code $defs}. A schema using any other validation keyword is
 * refused when the validator is made, so nothing in a schema goes unchecked. Every problem is reported (not just
 * the first), each with the JSON path of its member.
 */
public final class JsonSchemaValidator {

    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$defs", "title", "description", "default",
            "examples", "$comment");
    private static final Set<String> KEYWORDS = Set.of("type", "properties", "required", "additionalProperties", "items",
            "enum", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "minLength", "maxLength", "$ref");

    private static final Set<String> TYPES = Set.of("object", "array", "string", "boolean", "number", "integer", "null");

    private final JsonNode root;
    private final String rootName;

    /**
     * @param schema   the schema
     * @param rootName the path reported for problems of the document itself (e.g. {@code pipeline})
     * @throws IllegalArgumentException when the schema uses a keyword this validator does not check, or a
     *                                  {@code $ref} that does not resolve
     */
    public JsonSchemaValidator(JsonNode schema, String rootName) {
        this.root = schema;
        this.rootName = rootName;
        checkSupported(schema, "#");
    }

    /** Every problem of {@code document}, in document order; empty when it conforms. */
    public List<SchemaProblem> problems(JsonNode document) {
        List<SchemaProblem> out = new ArrayList<>();
        check(root, document, "", out);
        return out;
    }

    private void check(JsonNode schema, JsonNode value, String path, List<SchemaProblem> out) {
        if (schema.has("$ref")) {
            check(resolve(schema.get("$ref").asText()), value, path, out);
        }
        if (schema.has("type") && !hasType(value, schema.get("type").asText())) {
            out.add(new SchemaProblem(name(path), scalar(value), "expected " + typeWords(schema.get("type").asText())
                    + ", got " + describe(value), true));
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            out.add(new SchemaProblem(name(path), scalar(value), "must be one of " + list(schema.get("enum")), false));
        }
        if (value.isNumber()) {
            checkNumber(schema, value, path, out);
        }
        if (value.isTextual()) {
            int length = value.asText().codePointCount(0, value.asText().length());
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                out.add(new SchemaProblem(name(path), shortText(value.asText()),
                        "must be at most " + schema.get("maxLength").asInt() + " characters", false));
            }
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                out.add(new SchemaProblem(name(path), value.asText(),
                        "must be at least " + schema.get("minLength").asInt() + " characters", false));
            }
        }
        if (value.isObject()) {
            checkObject(schema, value, path, out);
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private void checkObject(JsonNode schema, JsonNode value, String path, List<SchemaProblem> out) {
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                out.add(new SchemaProblem(member(path, required.asText()), null, "a value is required", true));
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String child = member(path, e.getKey());
            if (properties.has(e.getKey())) {
                check(properties.get(e.getKey()), e.getValue(), child, out);
            } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                Set<String> allowed = new TreeSet<>();
                properties.fieldNames().forEachRemaining(allowed::add);
                out.add(new SchemaProblem(child, scalar(e.getValue()), "unknown member '" + e.getKey()
                        + "'; allowed here: " + String.join(", ", allowed), true));
            } else if (additional != null && additional.isObject()) {
                check(additional, e.getValue(), child, out);
            }
        }
    }

    private void checkNumber(JsonNode schema, JsonNode value, String path, List<SchemaProblem> out) {
        BigDecimal number = value.decimalValue();
        String at = name(path);
        if (schema.has("minimum") && number.compareTo(schema.get("minimum").decimalValue()) < 0) {
            out.add(new SchemaProblem(at, value.numberValue(), "must be at least " + plain(schema.get("minimum")), false));
        }
        if (schema.has("exclusiveMinimum") && number.compareTo(schema.get("exclusiveMinimum").decimalValue()) <= 0) {
            out.add(new SchemaProblem(at, value.numberValue(), "must be more than " + plain(schema.get("exclusiveMinimum")), false));
        }
        if (schema.has("maximum") && number.compareTo(schema.get("maximum").decimalValue()) > 0) {
            out.add(new SchemaProblem(at, value.numberValue(), "must be at most " + plain(schema.get("maximum")), false));
        }
        if (schema.has("exclusiveMaximum") && number.compareTo(schema.get("exclusiveMaximum").decimalValue()) >= 0) {
            out.add(new SchemaProblem(at, value.numberValue(), "must be less than " + plain(schema.get("exclusiveMaximum")), false));
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber()
                    || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
            case "null" -> value.isNull();
            default -> throw new IllegalStateException("unchecked type " + type);
        };
    }

    private static String typeWords(String type) {
        return switch (type) {
            case "object" -> "an object";
            case "array" -> "a list";
            case "string" -> "text";
            case "boolean" -> "true or false";
            case "number" -> "a number";
            case "integer" -> "a whole number";
            default -> type;
        };
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "a list";
        }
        return value.isTextual() ? "\"" + shortText(value.asText()) + "\"" : value.toString();
    }

    private static Object scalar(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isNumber()) {
            return value.numberValue();
        }
        return value.isBoolean() ? value.asBoolean() : null;
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode v : values) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String list(JsonNode values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.asText()));
        return out.toString();
    }

    private static String plain(JsonNode number) {
        return number.decimalValue().stripTrailingZeros().toPlainString();
    }

    private static String shortText(String text) {
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }

    private String name(String path) {
        return path.isEmpty() ? rootName : path;
    }

    private static String member(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#/$defs/") || !root.path("$defs").has(ref.substring(8))) {
            throw new IllegalArgumentException("unresolvable $ref " + ref);
        }
        return root.get("$defs").get(ref.substring(8));
    }

    private void checkSupported(JsonNode schema, String at) {
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String keyword = e.getKey();
            if (!KEYWORDS.contains(keyword) && !ANNOTATIONS.contains(keyword)) {
                throw new IllegalArgumentException("the schema keyword '" + keyword + "' at " + at + " is not checked by "
                        + JsonSchemaValidator.class.getSimpleName());
            }
            switch (keyword) {
                case "$defs", "properties" -> e.getValue().fields().forEachRemaining(
                        d -> checkSupported(d.getValue(), at + "/" + keyword + "/" + d.getKey()));
                case "items" -> checkSupported(e.getValue(), at + "/items");
                case "additionalProperties" -> {
                    if (e.getValue().isObject()) {
                        checkSupported(e.getValue(), at + "/additionalProperties");
                    }
                }
                case "$ref" -> resolve(e.getValue().asText());
                case "type" -> {
                    if (!TYPES.contains(e.getValue().asText())) {
                        throw new IllegalArgumentException("the type " + e.getValue() + " at " + at
                                + " is not one type name of " + TYPES);
                    }
                }
                default -> { }
            }
        }
    }
}
