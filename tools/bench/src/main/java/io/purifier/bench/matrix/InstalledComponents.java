package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import io.purifier.client.ApiClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the server has installed, from {@code GET /api/components}: the matrix's rows are every installed attack and
 * its columns every installed defense, so a newly deployed plugin joins the next matrix without a code change.
 *
 * @param attacks  attack ids, sorted
 * @param defenses the defenses, sorted by id
 * @param datasets dataset ids
 * @param metrics  metric ids
 */
public record InstalledComponents(List<String> attacks, List<InstalledDefense> defenses, Set<String> datasets,
                                  Set<String> metrics) {

    /** Reads the component list. */
    public static InstalledComponents read(ApiClient api) throws Exception {
        ApiClient.Response r = api.get("/api/components");
        if (r.status() != 200) {
            throw new IllegalStateException("GET /api/components answered " + r);
        }
        Set<String> attacks = new TreeSet<>();
        List<InstalledDefense> defenses = new ArrayList<>();
        Set<String> datasets = new TreeSet<>();
        Set<String> metrics = new TreeSet<>();
        for (JsonNode c : r.body()) {
            String id = c.path("id").asText();
            switch (c.path("kind").asText()) {
                case "attack" -> attacks.add(id);
                case "defense" -> defenses.add(InstalledDefense.of(c));
                case "dataset" -> datasets.add(id);
                case "metric" -> metrics.add(id);
                default -> { }
            }
        }
        defenses.sort((a, b) -> a.id().compareTo(b.id()));
        return new InstalledComponents(List.copyOf(attacks), List.copyOf(defenses), Set.copyOf(datasets), Set.copyOf(metrics));
    }

    /**
     * Checks that the plan can run here.
     *
     * @throws IllegalStateException naming what is missing
     */
    public void check(BenchPlan plan) {
        List<String> missing = new ArrayList<>();
        if (!datasets.contains(plan.datasetId())) {
            missing.add("dataset " + plan.datasetId());
        }
        BenchPlan.METRICS.stream().filter(m -> !metrics.contains(m)).forEach(m -> missing.add("metric " + m));
        if (plan.attacks().isEmpty()) {
            missing.add("any attack");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the benchmark matrix needs " + String.join(", ", missing)
                    + ", which this installation does not have (see GET /api/components)");
        }
    }
}
