package io.purifier.server.osgi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses OSGi manifest headers such as {@code Import-Package} and {@code Export-Package}: clauses separated by
 * commas, each with one or more paths and {@code name=value} attributes or {@code name:=value} directives
 * separated by semicolons; values may be quoted (and then contain commas and semicolons).
 */
public final class HeaderClauses {

    /**
     * One path of a clause with the clause's attributes and directives.
     *
     * @param path       the package (or other) name
     * @param attributes attributes by name ({@code version}, ...), unquoted
     * @param directives directives by name ({@code resolution}, ...), unquoted
     */
    public record Clause(String path, Map<String, String> attributes, Map<String, String> directives) {
    }

    private HeaderClauses() {
    }

    /** The clauses of {@code header}; an absent or blank header has none. */
    public static List<Clause> parse(String header) {
        List<Clause> out = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String clause : split(header, ',')) {
            List<String> paths = new ArrayList<>();
            Map<String, String> attributes = new LinkedHashMap<>();
            Map<String, String> directives = new LinkedHashMap<>();
            for (String part : split(clause, ';')) {
                int directive = indexOutsideQuotes(part, ":=");
                int attribute = indexOutsideQuotes(part, "=");
                if (directive >= 0 && directive <= attribute) {
                    directives.put(part.substring(0, directive).trim(), unquote(part.substring(directive + 2)));
                } else if (attribute >= 0) {
                    attributes.put(part.substring(0, attribute).trim(), unquote(part.substring(attribute + 1)));
                } else if (!part.isBlank()) {
                    paths.add(part.trim());
                }
            }
            for (String path : paths) {
                out.add(new Clause(path, Map.copyOf(attributes), Map.copyOf(directives)));
            }
        }
        return out;
    }

    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static int indexOutsideQuotes(String text, String token) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '"') {
                quoted = !quoted;
            } else if (!quoted && text.startsWith(token, i)) {
                return i;
            }
        }
        return -1;
    }

    private static String unquote(String value) {
        String v = value.trim();
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
