package io.purifier.server.schema;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes a JSON Schema (draft 2020-12) for a tree of Java records, read the way Jackson reads them: one object per
 * record with its components as properties ({@code @JsonProperty} names them and marks them {@code required}, its
 * {@code defaultValue} becomes {@code default}), {@code @JsonPropertyDescription} and {@code @JsonClassDescription}
 * become descriptions, {@link SchemaBounds} become bounds, enums list their JSON names, {@code List<T>} is an array
 * and {@code Map<String, Object>} an object with any members. Every record object refuses unknown members
 * ({@code additionalProperties: false}), as a strict Jackson mapper does. Nested records are defined once under
 * {@code $defs} by their simple names; the output is deterministic, so it can be committed and compared.
 */
public final class JsonSchemaGenerator {

    /** The JSON Schema dialect written. */
    public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<Class<?>> INTEGERS = Set.of(Long.class, long.class, Integer.class, int.class,
            Short.class, short.class, Byte.class, byte.class);
    private static final Set<Class<?>> NUMBERS = Set.of(Double.class, double.class, Float.class, float.class,
            BigDecimal.class);

    private final Map<String, ObjectNode> definitions = new LinkedHashMap<>();
    private final Map<String, Class<?>> definedBy = new LinkedHashMap<>();

    private JsonSchemaGenerator() {
    }

    /**
     * The schema of {@code root}: its object inline, every nested record under {@code $defs}.
     *
     * @param root  the document's record type
     * @param id    the schema's {@code $id}
     * @param title its title
     * @throws IllegalArgumentException for a component type the generator does not map
     */
    public static ObjectNode generate(Class<? extends Record> root, String id, String title) {
        JsonSchemaGenerator generator = new JsonSchemaGenerator();
        ObjectNode schema = NODES.objectNode();
        schema.put("$schema", DIALECT);
        schema.put("$id", id);
        schema.put("title", title);
        schema.setAll(generator.recordObject(root));
        if (!generator.definitions.isEmpty()) {
            ObjectNode defs = schema.putObject("$defs");
            generator.definitions.keySet().stream().sorted().forEach(name -> defs.set(name, generator.definitions.get(name)));
        }
        return schema;
    }

    private ObjectNode recordObject(Class<?> type) {
        ObjectNode object = NODES.objectNode();
        JsonClassDescription description = type.getAnnotation(JsonClassDescription.class);
        if (description != null) {
            object.put("description", description.value());
        }
        object.put("type", "object");
        ObjectNode properties = object.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (RecordComponent component : type.getRecordComponents()) {
            Field field = field(type, component.getName());
            if (field.isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            JsonProperty property = field.getAnnotation(JsonProperty.class);
            String name = property != null && !property.value().isEmpty() ? property.value() : component.getName();
            properties.set(name, property(field, component.getGenericType(), property));
            if (property != null && property.required()) {
                required.add(name);
            }
        }
        if (!required.isEmpty()) {
            object.set("required", required);
        }
        object.put("additionalProperties", false);
        return object;
    }

    private ObjectNode property(Field field, Type type, JsonProperty property) {
        ObjectNode schema = NODES.objectNode();
        JsonPropertyDescription description = field.getAnnotation(JsonPropertyDescription.class);
        if (description != null) {
            schema.put("description", description.value());
        }
        schema.setAll(schemaOf(type));
        SchemaBounds bounds = field.getAnnotation(SchemaBounds.class);
        if (bounds != null) {
            bound(schema, "minimum", bounds.minimum());
            bound(schema, "exclusiveMinimum", bounds.exclusiveMinimum());
            bound(schema, "maximum", bounds.maximum());
            if (bounds.maxLength() >= 0) {
                schema.put("maxLength", bounds.maxLength());
            }
        }
        if (property != null && !property.defaultValue().isEmpty()) {
            schema.set("default", parse(property.defaultValue()));
        }
        return schema;
    }

    private ObjectNode schemaOf(Type type) {
        if (type instanceof WildcardType wildcard) {
            return schemaOf(wildcard.getUpperBounds()[0]);
        }
        if (type instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw) {
            Type[] args = generic.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                ObjectNode array = NODES.objectNode().put("type", "array");
                array.set("items", schemaOf(args[0]));
                return array;
            }
            if (Map.class.isAssignableFrom(raw) && args[0] == String.class) {
                ObjectNode object = NODES.objectNode().put("type", "object");
                if (args[1] != Object.class) {
                    object.set("additionalProperties", schemaOf(args[1]));
                }
                return object;
            }
        }
        if (type instanceof Class<?> c) {
            return schemaOf(c);
        }
        throw new IllegalArgumentException("no JSON Schema mapping for the type " + type.getTypeName());
    }

    private ObjectNode schemaOf(Class<?> c) {
        ObjectNode schema = NODES.objectNode();
        if (c == String.class) {
            return schema.put("type", "string");
        }
        if (INTEGERS.contains(c)) {
            return schema.put("type", "integer");
        }
        if (NUMBERS.contains(c)) {
            return schema.put("type", "number");
        }
        if (c == Boolean.class || c == boolean.class) {
            return schema.put("type", "boolean");
        }
        if (c == Object.class) {
            return schema;
        }
        if (c.isEnum()) {
            schema.put("type", "string");
            ArrayNode values = schema.putArray("enum");
            for (Object constant : c.getEnumConstants()) {
                values.add(enumName(c, (Enum<?>) constant));
            }
            return schema;
        }
        if (c.isRecord()) {
            return schema.put("$ref", "#/$defs/" + define(c));
        }
        throw new IllegalArgumentException("no JSON Schema mapping for the type " + c.getName());
    }

    private String define(Class<?> record) {
        String name = record.getSimpleName();
        Class<?> existing = definedBy.get(name);
        if (existing != null && existing != record) {
            throw new IllegalArgumentException("two records are named " + name + ": " + existing.getName()
                    + " and " + record.getName());
        }
        if (existing == null) {
            definedBy.put(name, record);
            definitions.put(name, recordObject(record));
        }
        return name;
    }

    private static String enumName(Class<?> type, Enum<?> constant) {
        JsonProperty property = field(type, constant.name()).getAnnotation(JsonProperty.class);
        return property != null && !property.value().isEmpty() ? property.value() : constant.name();
    }

    private static void bound(ObjectNode schema, String keyword, String decimal) {
        if (decimal.isEmpty()) {
            return;
        }
        BigDecimal value = new BigDecimal(decimal);
        if (value.stripTrailingZeros().scale() <= 0) {
            schema.put(keyword, value.toBigIntegerExact());
        } else {
            schema.put(keyword, value);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return NODES.textNode(json);
        }
    }

    private static Field field(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(type.getName() + " has no field " + name, e);
        }
    }
}
