package io.purifier.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Collectors;

/** Parses JSON request bodies strictly, turning every mistake into a 400 that names the field. */
public final class JsonBodies {

    /** Largest accepted JSON body. */
    static final long MAX_JSON_BYTES = 1024 * 1024;

    private JsonBodies() {
    }

    static <T> T read(Context ctx, ObjectMapper json, Class<T> type) {
        return parse(body(ctx), json, type);
    }

    /** The request body as a JSON tree (checked for size and syntax only). */
    static JsonNode readTree(Context ctx, ObjectMapper json) {
        return parse(body(ctx), json, JsonNode.class);
    }

    private static byte[] body(Context ctx) {
        byte[] body;
        try (InputStream in = ctx.bodyInputStream()) {
            body = in.readNBytes((int) MAX_JSON_BYTES + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
        }
        if (body.length > MAX_JSON_BYTES) {
            throw new ApiException(413, "the JSON body exceeds " + MAX_JSON_BYTES / 1024 + " KB");
        }
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty; expected a JSON object");
        }
        return body;
    }

    /** Parses {@code body} strictly as {@code type}; mistakes become a 400 {@link ApiException} naming the field. */
    public static <T> T parse(byte[] body, ObjectMapper json, Class<T> type) {
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("the request body is null; expected a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw ApiException.badRequest("unknown field '" + e.getPropertyName() + "' at " + path(e)
                    + (known.isEmpty() ? "" : " (expected one of: " + known + ")"));
        } catch (InvalidFormatException e) {
            throw ApiException.badRequest("field " + path(e) + " has the wrong type: got " + e.getValue()
                    + ", expected " + e.getTargetType().getSimpleName().toLowerCase());
        } catch (MismatchedInputException e) {
            throw ApiException.badRequest("field " + path(e) + " has the wrong type (expected "
                    + (e.getTargetType() == null ? "another type" : e.getTargetType().getSimpleName()) + ")");
        } catch (JsonMappingException e) {
            throw ApiException.badRequest("invalid JSON at " + path(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? "the top level" : out.toString();
    }
}
