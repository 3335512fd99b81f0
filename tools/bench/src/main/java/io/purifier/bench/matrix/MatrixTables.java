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
 * column group per defense (C-ACC / ASR / P-ASR / RA / DER, in %; P-ASR only when the matrix measured it), plus flat
 * CSV and JSON with every number. A cell run with several seeds shows each metric as mean ± sample standard
 * deviation and its number of seeds (N); with one seed it shows the plain value, as before seeds existed.
 */
public final class MatrixTables {

    /** The metrics every export carries per cell, in order. */
    public static final List<String> METRICS = List.of("C-ACC", "ASR", "P-ASR", "P-C-ACC", "RA", "DER");

    /** The metrics of the Markdown cells, in order (P-ASR only when some cell has it). */
    static final List<String> TABLE_METRICS = List.of("C-ACC", "ASR", "P-ASR", "RA", "DER");

    /** Metrics shown only when some cell has them: the retuning attack's (the matrix's {@code --robustness}). */
    private static final Set<String> OPTIONAL = Set.of("P-ASR", "P-C-ACC");

    private MatrixTables() {
    }

    /** Markdown without a clean-accuracy minimum; see {@link #markdown(List, double)}. */
    public static String markdown(List<BenchResult> results) {
        return markdown(results, 0);
    }

    /**
     * Markdown: per model a heading and a table; cells without a result show "–", failed cells their status. With a
     * clean-accuracy minimum ({@code minCleanAccuracy} &gt; 0, the plan's), an undefended cell whose C-ACC (its mean over
     * the seeds) is below it is marked {@value #BELOW_MINIMUM} and listed in a line under its table.
     *
     * @param results          the results
     * @param minCleanAccuracy the plan's minimum clean accuracy of undefended models as a fraction; 0 = none
     */
    public static String markdown(List<BenchResult> results, double minCleanAccuracy) {
        List<String> shown = shown(results, TABLE_METRICS);
        List<CellSummary> cells = CellSummary.byCell(results);
        StringBuilder out = new StringBuilder();
        for (String model : distinct(cells, CellSummary::model)) {
            List<CellSummary> rows = cells.stream().filter(c -> c.model().equals(model)).toList();
            List<String> defenses = distinct(rows, CellSummary::defense);
            out.append("### ").append(model).append("\n\n");
            out.append("Cells: ").append(String.join(" / ", shown)).append(" in %, then wall time (s) and peak RSS (MB: "
                    + "the largest resident size of the server and all its worker processes sampled while the cell ran, "
                    + "so it includes any other cell running at the same time; over seeds the largest). ");
            if (shown.contains("P-ASR")) {
                out.append("P-ASR is the ASR after the retuning attack (a few epochs of fine-tuning on a small set with "
                        + "poisoned samples); in the none column it is the undefended model's. ");
            }
            out.append("With several seeds: mean ± sample standard deviation over N seeds (wall time: the mean). DER "
                    + "compares the defended model with the attacked model of its own run; for defenses that take held-out "
                    + "unlabeled data (BCU) that model was trained without the held-out part, so it differs from the none "
                    + "column.\n\n");
            out.append("| attack |");
            for (String d : defenses) {
                out.append(' ').append(d).append(" |");
            }
            out.append("\n|---|");
            out.append("---|".repeat(defenses.size()));
            out.append('\n');
            List<String> below = new ArrayList<>();
            for (String attack : distinct(rows, CellSummary::attack)) {
                out.append("| ").append(attack).append(" |");
                for (String d : defenses) {
                    Optional<CellSummary> cell = rows.stream()
                            .filter(r -> r.attack().equals(attack) && r.defense().equals(d)).findFirst();
                    String text = cell.map(c -> cellText(c, shown)).orElse("–");
                    if (cell.isPresent() && belowMinimum(cell.get(), minCleanAccuracy)) {
                        text = BELOW_MINIMUM + " " + text;
                        below.add(String.format(Locale.ROOT, "%s (%.1f %%)", attack,
                                cell.get().metrics().get("C-ACC").mean() * 100));
                    }
                    out.append(' ').append(text).append(" |");
                }
                out.append('\n');
            }
            out.append('\n');
            if (!below.isEmpty()) {
                out.append(String.format(Locale.ROOT, "%s **Below the profile's minimum clean accuracy of %.1f %%** "
                        + "(undefended model): %s. The defense cells of these rows start from a model that misses the "
                        + "setting.%n%n", BELOW_MINIMUM, minCleanAccuracy * 100, String.join(", ", below)));
            }
        }
        return out.toString();
    }

    /** The mark of an undefended cell below the plan's minimum clean accuracy. */
    static final String BELOW_MINIMUM = "⚠";

    /** Whether {@code cell} is an undefended cell whose mean C-ACC is below a positive minimum. */
    static boolean belowMinimum(CellSummary cell, double minCleanAccuracy) {
        CellSummary.Stat acc = cell.metrics().get("C-ACC");
        return minCleanAccuracy > 0 && cell.defense().equals(BenchCell.NO_DEFENSE) && acc != null
                && acc.mean() < minCleanAccuracy;
    }

    /** One run's cell text, as the progress lines show it. */
    static String cellText(BenchResult r) {
        return cellText(CellSummary.of(List.of(r)), shown(List.of(r), TABLE_METRICS));
    }

    /** A cell's text: its metrics in %, then (N,) wall time and memory; its status when every seed failed. */
    static String cellText(CellSummary c, List<String> shown) {
        if (c.allFailed()) {
            return c.failed().get(0).toLowerCase(Locale.ROOT);
        }
        List<String> parts = new ArrayList<>();
        for (String m : shown) {
            CellSummary.Stat s = c.metrics().get(m);
            parts.add(s == null ? "–" : s.n() > 1
                    ? String.format(Locale.ROOT, "%.1f±%.1f", s.mean() * 100, s.sd() * 100)
                    : String.format(Locale.ROOT, "%.1f", s.mean() * 100));
        }
        int runs = c.runIds().size();
        // a run made outside the matrix (e.g. by `purifier run`) and reused from the history has no RSS sample
        String rss = c.peakRssMb() > 0 ? String.format(Locale.ROOT, "%.0f MB", c.peakRssMb()) : "RSS not sampled";
        String seeds = runs > 1 ? "N=" + c.succeeded() + (c.failed().isEmpty() ? "" : " of " + runs + ", "
                + c.failed().size() + " not succeeded") + ", " : "";
        return String.join(" / ", parts) + String.format(Locale.ROOT, " (%s%.0f s, %s)", seeds, c.wallSeconds(), rss);
    }

    /** CSV with a header; one row per run (cell and seed). */
    public static String csv(List<BenchResult> results) {
        StringBuilder out = new StringBuilder("model,attack,defense,seed_index,status,run_id,");
        METRICS.forEach(m -> out.append(column(m)).append(','));
        out.append("wall_seconds,peak_rss_mb,reused\n");
        for (BenchResult r : results) {
            List<String> row = new ArrayList<>(List.of(r.cell().model(), r.cell().attack(), r.cell().defense(),
                    Integer.toString(r.cell().seedIndex()), r.status(), Long.toString(r.runId())));
            METRICS.forEach(m -> row.add(num(r.metrics().get(m))));
            row.add(String.format(Locale.ROOT, "%.1f", r.wallSeconds()));
            row.add(String.format(Locale.ROOT, "%.0f", r.peakRssMb()));
            row.add(Boolean.toString(r.reused()));
            out.append(String.join(",", row)).append('\n');
        }
        return out.toString();
    }

    /** CSV with a header; one row per cell over its seeds: N, then mean and sample sd of every metric. */
    public static String summaryCsv(List<BenchResult> results) {
        StringBuilder out = new StringBuilder("model,attack,defense,n,not_succeeded,");
        METRICS.forEach(m -> out.append(column(m)).append("_mean,").append(column(m)).append("_sd,"));
        out.append("wall_seconds_mean,peak_rss_mb\n");
        for (CellSummary c : CellSummary.byCell(results)) {
            List<String> row = new ArrayList<>(List.of(c.model(), c.attack(), c.defense(), Integer.toString(c.succeeded()),
                    Integer.toString(c.failed().size())));
            for (String m : METRICS) {
                CellSummary.Stat s = c.metrics().get(m);
                row.add(s == null ? "" : num(s.mean()));
                row.add(s == null ? "" : num(s.sd()));
            }
            row.add(String.format(Locale.ROOT, "%.1f", c.wallSeconds()));
            row.add(String.format(Locale.ROOT, "%.0f", c.peakRssMb()));
            out.append(String.join(",", row)).append('\n');
        }
        return out.toString();
    }

    /** JSON: {@code {"setting": ..., "cells": [one per run], "summary": [one per cell over its seeds]}}. */
    public static ObjectNode json(ObjectMapper json, Map<String, Object> setting, List<BenchResult> results) {
        ObjectNode root = json.createObjectNode();
        root.set("setting", json.valueToTree(setting));
        ArrayNode cells = root.putArray("cells");
        for (BenchResult r : results) {
            ObjectNode c = cells.addObject();
            c.put("model", r.cell().model());
            c.put("attack", r.cell().attack());
            c.put("defense", r.cell().defense());
            c.put("seedIndex", r.cell().seedIndex());
            c.put("status", r.status());
            c.put("runId", r.runId());
            c.set("metrics", json.valueToTree(r.metrics()));
            c.put("wallSeconds", r.wallSeconds());
            c.put("peakRssMb", r.peakRssMb());
            c.put("reused", r.reused());
            if (r.fromRecord()) {
                c.put("fromRecord", true);
            }
            if (r.pipelineKey() != null) {
                c.put("pipelineKey", r.pipelineKey());
            }
            if (r.error() != null) {
                c.put("error", r.error());
            }
        }
        ArrayNode summary = root.putArray("summary");
        for (CellSummary s : CellSummary.byCell(results)) {
            summary.add(json.valueToTree(s));
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
            // a cell taken from the record names a run of another history: its id means nothing here
            if (c.path("peakRssMb").asDouble(0) > 0 && !c.path("fromRecord").asBoolean(false)) {
                out.put(c.path("runId").asLong(), c.path("peakRssMb").asDouble());
            }
        }
        return out;
    }

    /** {@code candidates} without the optional metrics that no result has. */
    private static List<String> shown(List<BenchResult> results, List<String> candidates) {
        return candidates.stream().filter(m -> !OPTIONAL.contains(m)
                || results.stream().anyMatch(r -> r.metrics().containsKey(m))).toList();
    }

    /** The CSV column of a metric: {@code P-C-ACC} → {@code p_c_acc}. */
    private static String column(String metric) {
        return metric.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private static String num(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static <T> List<String> distinct(List<T> items, Function<T, String> key) {
        Set<String> seen = new LinkedHashSet<>();
        items.forEach(r -> seen.add(key.apply(r)));
        return List.copyOf(seen);
    }
}
