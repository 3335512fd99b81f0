package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A pipeline as the server's API shows it back: the server keeps its directories out of what it sends, so a path
 * under its data directory comes back as {@code data/...} and one under the installation relative to it
 * ({@code /opt/purifier/conf/datasets/x} is shown as {@code conf/datasets/x}, the installation itself as {@code .}),
 * the longer directory first, as the server's own scrubbing does. The matrix compares its pipelines with the history in
 * this form, and fingerprints them in it, so that a cell naming a file of the installation (the out-of-distribution
 * column's dataset directory) is found again in the history and in another installation's report.
 */
final class HistoryForm {

    /** No directories: pipelines are shown as they are. */
    static final HistoryForm AS_IS = new HistoryForm(List.of());

    private record Replacement(String prefix, String with) {
    }

    private final List<Replacement> replacements;

    private HistoryForm(List<Replacement> replacements) {
        this.replacements = replacements;
    }

    /** The form of a server running from {@code home} with its data in {@code dataDir}. */
    static HistoryForm of(Path home, Path dataDir) {
        List<Replacement> out = new ArrayList<>();
        add(out, dataDir, "data/");
        add(out, home, "");
        out.sort(Comparator.comparingInt((Replacement r) -> r.prefix().length()).reversed());
        return new HistoryForm(List.copyOf(out));
    }

    private static void add(List<Replacement> out, Path dir, String with) {
        String abs = dir.toAbsolutePath().normalize().toString();
        if (abs.length() > 1) {
            out.add(new Replacement(abs + "/", with));
            out.add(new Replacement(abs, with.isEmpty() ? "." : with.substring(0, with.length() - 1)));
        }
    }

    /** A copy of {@code pipeline} with every string naming a path under those directories in its short form. */
    JsonNode apply(JsonNode pipeline) {
        JsonNode copy = pipeline.deepCopy();
        return replacements.isEmpty() ? copy : rewrite(copy);
    }

    private JsonNode rewrite(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            names.forEach(name -> object.set(name, rewrite(object.get(name))));
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, rewrite(array.get(i)));
            }
            return array;
        }
        if (node.isTextual()) {
            String text = node.asText();
            String shown = text;
            for (Replacement r : replacements) {
                shown = shown.replace(r.prefix(), r.with());
            }
            return shown.equals(text) ? node : TextNode.valueOf(shown);
        }
        return node;
    }
}
