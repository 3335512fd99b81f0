package io.purifier.server.web;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps the server's absolute paths out of messages sent to clients: the data directory becomes {@code data/},
 * the installation directory and the temporary directory disappear, so a message names a file as the
 * installation sees it ({@code data/models/m-1/x.h5}) without telling a client where the server lives.
 */
final class ServerPaths {

    private record Replacement(String prefix, String with) {
    }

    private final List<Replacement> replacements = new ArrayList<>();

    ServerPaths(Path home, Path dataDir) {
        add(dataDir, "data/");
        add(home, "");
        add(Path.of(System.getProperty("java.io.tmpdir")), "tmp/");
        replacements.sort(Comparator.comparingInt((Replacement r) -> r.prefix().length()).reversed());
    }

    private void add(Path dir, String with) {
        if (dir != null) {
            String abs = dir.toAbsolutePath().normalize().toString();
            if (abs.length() > 1) {
                replacements.add(new Replacement(abs + "/", with));
                replacements.add(new Replacement(abs, with.isEmpty() ? "." : with.substring(0, with.length() - 1)));
            }
        }
    }

    /** {@code message} with every known absolute directory replaced by its short form. */
    String scrub(String message) {
        if (message == null) {
            return null;
        }
        String out = message;
        for (Replacement r : replacements) {
            out = out.replace(r.prefix(), r.with());
        }
        return out;
    }

    /** {@code value} as JSON with {@link #scrub} applied to every string in it (for run records and events). */
    com.fasterxml.jackson.databind.JsonNode scrubTree(com.fasterxml.jackson.databind.ObjectMapper json, Object value) {
        com.fasterxml.jackson.databind.JsonNode tree = json.valueToTree(value);
        return scrubNode(tree);
    }

    private com.fasterxml.jackson.databind.JsonNode scrubNode(com.fasterxml.jackson.databind.JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            java.util.List<String> names = new java.util.ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                o.set(name, scrubNode(o.get(name)));
            }
            return o;
        }
        if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, scrubNode(a.get(i)));
            }
            return a;
        }
        if (node.isTextual()) {
            String scrubbed = scrub(node.asText());
            return scrubbed.equals(node.asText()) ? node : com.fasterxml.jackson.databind.node.TextNode.valueOf(scrubbed);
        }
        return node;
    }
}
