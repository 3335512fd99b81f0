package io.purifier.server.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.purifier.api.param.ParamProblem;
import io.purifier.server.schema.JsonSchemaGenerator;
import io.purifier.server.schema.JsonSchemaValidator;
import io.purifier.server.schema.SchemaProblem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON Schema of the pipeline format, generated from {@link PipelineSpec} and its records, and the structural
 * check every pipeline passes before it is bound to those records: unknown members, wrong types, missing required
 * members and values outside their bounds are reported together, each with its JSON path. A member set to null
 * counts as left out (as Jackson reads it); a top-level {@code $schema} member (the schema's address, for editors)
 * is allowed and ignored.
 */
public final class PipelineSchema {

    /** The schema's {@code $id}. */
    public static final String ID = "urn:purifier:pipeline";

    /** The path reported for problems of the document as a whole. */
    public static final String ROOT = "pipeline";

    private static final Pattern TOKEN = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectNode SCHEMA = generate();
    private static final JsonSchemaValidator VALIDATOR = new JsonSchemaValidator(SCHEMA, ROOT);

    private PipelineSchema() {
    }

    private static ObjectNode generate() {
        ObjectNode schema = JsonSchemaGenerator.generate(PipelineSpec.class, ID, "Purifier pipeline");
        ObjectNode properties = JSON.createObjectNode();
        properties.putObject("$schema").put("description",
                "Optional: where this schema is, so that editors offer completion; ignored by the server.").put("type", "string");
        properties.setAll((ObjectNode) schema.get("properties"));
        schema.set("properties", properties);
        return schema;
    }

    /** The schema (a copy). */
    public static ObjectNode schema() {
        return SCHEMA.deepCopy();
    }

    /** The schema as indented JSON text ending in a newline, as committed in {@code docs/pipeline.schema.json}. */
    public static String text() {
        try {
            DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withObjectIndenter(indenter).withArrayIndenter(indenter);
            return JSON.writer(printer).writeValueAsString(SCHEMA) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the pipeline schema", e);
        }
    }

    /** Every structural problem of a pipeline document, in document order; empty when it conforms. */
    public static List<SchemaProblem> problems(JsonNode document) {
        return VALIDATOR.problems(withoutNulls(document, SCHEMA));
    }

    /**
     * Reads a pipeline document into its records after the structural check.
     *
     * @throws PipelineInvalidException with every problem when the document cannot be read into the records
     *                                  (values outside their bounds are left to {@link PipelineValidator}, which
     *                                  reports them together with the problems it finds)
     */
    public static PipelineSpec read(JsonNode document) {
        List<SchemaProblem> problems = problems(document);
        if (problems.stream().anyMatch(SchemaProblem::shape)) {
            throw new PipelineInvalidException(problems.stream().map(SchemaProblem::toParamProblem).toList());
        }
        ObjectNode tree = (ObjectNode) withoutNulls(document, SCHEMA);
        tree.remove("$schema");
        try {
            return JSON.treeToValue(tree, PipelineSpec.class);
        } catch (JsonProcessingException e) {
            // a value beyond its Java type (a seed above 2^63 - 1) is out of bounds too: those problems say why
            throw new PipelineInvalidException(problems.isEmpty()
                    ? List.of(new ParamProblem(ROOT, null, "cannot be read as a pipeline: " + e.getOriginalMessage()))
                    : problems.stream().map(SchemaProblem::toParamProblem).toList());
        }
    }

    /** The problems of a pipeline already in its records (bounds, required members), as parameter problems. */
    static List<ParamProblem> problems(PipelineSpec spec) {
        return problems(JSON.valueToTree(spec)).stream().map(SchemaProblem::toParamProblem).toList();
    }

    /** Orders JSON paths of a pipeline as their members appear in the schema (and list items by index). */
    public static Comparator<String> documentOrder() {
        return (a, b) -> {
            List<Integer> ka = orderKey(a);
            List<Integer> kb = orderKey(b);
            for (int i = 0; i < Math.min(ka.size(), kb.size()); i++) {
                int c = Integer.compare(ka.get(i), kb.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(ka.size(), kb.size());
        };
    }

    private static List<Integer> orderKey(String path) {
        List<Integer> key = new ArrayList<>();
        if (path.equals(ROOT)) {
            key.add(-1);
            return key;
        }
        JsonNode schema = SCHEMA;
        Matcher m = TOKEN.matcher(path);
        while (m.find()) {
            schema = deref(schema);
            if (m.group(2) != null) {
                key.add(Integer.parseInt(m.group(2)));
                schema = schema.path("items");
            } else {
                List<String> names = new ArrayList<>();
                schema.path("properties").fieldNames().forEachRemaining(names::add);
                int index = names.indexOf(m.group(1));
                key.add(index >= 0 ? index : names.size());
                schema = schema.path("properties").path(m.group(1));
            }
        }
        return key;
    }

    private static JsonNode deref(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#/$defs/") ? SCHEMA.path("$defs").path(ref.substring(8)) : schema;
    }

    /** A copy without the null members of the records' objects (parameter maps are left as they are). */
    private static JsonNode withoutNulls(JsonNode node, JsonNode schema) {
        JsonNode s = deref(schema);
        if (node == null) {
            return JSON.nullNode();
        }
        if (node.isObject() && s.has("properties")) {
            ObjectNode out = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode member = s.get("properties").get(e.getKey());
                if (member == null) {
                    out.set(e.getKey(), e.getValue());
                } else if (!e.getValue().isNull()) {
                    out.set(e.getKey(), withoutNulls(e.getValue(), member));
                }
            }
            return out;
        }
        if (node.isArray() && s.has("items")) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(item -> out.add(withoutNulls(item, s.get("items"))));
            return out;
        }
        return node;
    }
}
