package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An installed defense as {@code GET /api/components?kind=defense} lists it, reduced to what the matrix needs: its
 * parameter names and the defaults of its whole-number parameters (to cap its schedule), its variant parameters (choices that are variants of the method, marked
 * {@code "variant": true} by its descriptor), and its data contract.
 *
 * @param id                 the defense id
 * @param parameters         its parameter names
 * @param integerDefaults    the default of each whole-number ({@code INTEGER}) parameter
 * @param variants           its variant parameters
 * @param dataKind           {@code NONE}, {@code LABELED_CLEAN} or {@code UNLABELED}
 * @param otherDatasetsAllowed whether unlabeled data may come from another dataset
 */
public record InstalledDefense(String id, Set<String> parameters, Map<String, Long> integerDefaults,
                               List<Variant> variants, String dataKind, boolean otherDatasetsAllowed) {

    /**
     * A parameter whose choices are variants of the method.
     *
     * @param parameter its name
     * @param defaultChoice the default
     * @param choices   every choice, the default among them
     */
    public record Variant(String parameter, String defaultChoice, List<String> choices) {
    }

    /** Reads one entry of the component list. */
    public static InstalledDefense of(JsonNode component) {
        Set<String> names = new LinkedHashSet<>();
        Map<String, Long> integerDefaults = new LinkedHashMap<>();
        List<Variant> variants = new ArrayList<>();
        for (JsonNode p : component.path("parameters")) {
            names.add(p.path("name").asText());
            if ("INTEGER".equals(p.path("type").asText()) && p.path("defaultValue").canConvertToLong()) {
                integerDefaults.put(p.path("name").asText(), p.path("defaultValue").asLong());
            }
            if (p.path("variant").asBoolean(false)) {
                List<String> choices = new ArrayList<>();
                p.path("choices").forEach(c -> choices.add(c.asText()));
                variants.add(new Variant(p.path("name").asText(), p.path("defaultValue").asText(), List.copyOf(choices)));
            }
        }
        JsonNode contract = component.path("dataContract");
        return new InstalledDefense(component.path("id").asText(), Set.copyOf(names), Map.copyOf(integerDefaults),
                List.copyOf(variants),
                contract.path("kind").asText("NONE"), contract.path("outOfDistributionAllowed").asBoolean(false));
    }

    /** Whether the defense takes data (labeled or not). */
    public boolean takesData() {
        return !"NONE".equals(dataKind);
    }

    /** Whether it takes unlabeled data. */
    public boolean takesUnlabeledData() {
        return "UNLABELED".equals(dataKind);
    }
}
