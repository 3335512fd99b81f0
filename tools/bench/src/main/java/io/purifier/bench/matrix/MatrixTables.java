package io.purifier.bench.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Renders benchmark results like the field's leaderboards: one Markdown table per model with attack rows and a
 * column group per defense (C-ACC / ASR / RA / DER, in %), plus flat CSV and JSON with every number.
 */
public final class MatrixTables {

    /** The metrics shown per defense, in order. */
    public static final List<String> METRICS = List.of("C-ACC", "ASR", "RA", "DER");

    private MatrixTables() {
    }

    /** Markdown: per model a heading and a table; cells without a result show "–", failed cells "failed". */
    public static String markdown(List<BenchResult> results) {
        StringBuilder out = new StringBuilder();
        for (String model : distinct(results, r -> r.cell().model())) {
            List<BenchResult> rows = results.stream().filter(r -> r.cell().model().equals(model)).toList();
            List<String> defenses = distinct(rows, r -> r.cell().defense());
            out.append("### ").append(model).append("\n\n");
            out.append("Cells: C-ACC / ASR / RA / DER in %, then wall time (s) and peak RSS (MB). DER compares the "
                    + "defended model with the attacked model of its own run; for defenses that take held-out unlabeled "
                    + "data (BCU) that model was trained without the held-out part, so it differs from the none column.\n\n");
            out.append("| attack |");
            for (String d : defenses) {
                out.append(' ').append(d).append(" |");
            }
            out.append("\n|---|");
            out.append("---|".repeat(defenses.size()));
            out.append('\n');
            for (String attack : distinct(rows, r -> r.cell().attack())) {
                out.append("| ").append(attack).append(" |");
                for (String d : defenses) {
                    Optional<BenchResult> cell = rows.stream()
                            .filter(r -> r.cell().attack().equals(attack) && r.cell().defense().equals(d)).findFirst();
                    out.append(' ').append(cell.map(MatrixTables::cellText).orElse("–")).append(" |");
                }
                out.append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String cellText(BenchResult r) {
        if (!r.ok()) {
            return r.status().toLowerCase(Locale.ROOT);
        }
        List<String> parts = new ArrayList<>();
        for (String m : METRICS) {
            Double v = r.metrics().get(m);
            parts.add(v == null ? "–" : String.format(Locale.ROOT, "%.1f", v * 100));
        }
        // a run made outside the matrix (e.g. by `purifier run`) and reused from the history has no RSS sample
        String rss = r.peakRssMb() > 0 ? String.format(Locale.ROOT, "%.0f MB", r.peakRssMb()) : "RSS not sampled";
        return String.join(" / ", parts) + String.format(Locale.ROOT, " (%.0f s, %s)", r.wallSeconds(), rss);
    }

    /** CSV with a header; one row per cell. */
    public static String csv(List<BenchResult> results) {
        StringBuilder out = new StringBuilder("model,attack,defense,status,run_id,c_acc,asr,ra,der,wall_seconds,peak_rss_mb,reused\n");
        for (BenchResult r : results) {
            out.append(String.join(",", r.cell().model(), r.cell().attack(), r.cell().defense(), r.status(),
                    Long.toString(r.runId()), num(r.metrics().get("C-ACC")), num(r.metrics().get("ASR")),
                    num(r.metrics().get("RA")), num(r.metrics().get("DER")),
                    String.format(Locale.ROOT, "%.1f", r.wallSeconds()), String.format(Locale.ROOT, "%.0f", r.peakRssMb()),
                    Boolean.toString(r.reused()))).append('\n');
        }
        return out.toString();
    }

    /** JSON: {@code {"setting": ..., "cells": [...]}}. */
    public static ObjectNode json(ObjectMapper json, Map<String, Object> setting, List<BenchResult> results) {
        ObjectNode root = json.createObjectNode();
        root.set("setting", json.valueToTree(setting));
        ArrayNode cells = root.putArray("cells");
        for (BenchResult r : results) {
            ObjectNode c = cells.addObject();
            c.put("model", r.cell().model());
            c.put("attack", r.cell().attack());
            c.put("defense", r.cell().defense());
            c.put("status", r.status());
            c.put("runId", r.runId());
            c.set("metrics", json.valueToTree(r.metrics()));
            c.put("wallSeconds", r.wallSeconds());
            c.put("peakRssMb", r.peakRssMb());
            c.put("reused", r.reused());
            if (r.error() != null) {
                c.put("error", r.error());
            }
        }
        return root;
    }

    /**
     * Run id → peak resident memory in MB, read from an earlier {@link #json} export (cells without a sample are
     * left out), so that cells taken from the history keep the memory measured when they ran.
     */
    public static Map<Long, Double> peaks(JsonNode export) {
        Map<Long, Double> out = new HashMap<>();
        for (JsonNode c : export.path("cells")) {
            if (c.path("peakRssMb").asDouble(0) > 0) {
                out.put(c.path("runId").asLong(), c.path("peakRssMb").asDouble());
            }
        }
        return out;
    }

    private static String num(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static List<String> distinct(List<BenchResult> results, Function<BenchResult, String> key) {
        Set<String> seen = new LinkedHashSet<>();
        results.forEach(r -> seen.add(key.apply(r)));
        return List.copyOf(seen);
    }
}
