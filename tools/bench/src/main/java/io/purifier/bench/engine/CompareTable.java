package io.purifier.bench.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rounds of engine and PyTorch measurements per model, reduced to the median per cell, and the table of both
 * throughputs with their ratio (engine / PyTorch; above 1 the engine is faster).
 */
final class CompareTable {

    private final Map<String, Long> engineParams = new LinkedHashMap<>();
    private final Map<String, Long> torchParams = new LinkedHashMap<>();
    private final Map<String, List<Rates>> engine = new LinkedHashMap<>();
    private final Map<String, List<Rates>> torch = new LinkedHashMap<>();

    /** Adds one engine measurement. */
    void addEngine(String model, long params, Rates r) {
        engineParams.put(model, params);
        engine.computeIfAbsent(model, k -> new ArrayList<>()).add(r);
    }

    /** Adds one PyTorch measurement. */
    void addTorch(String model, long params, Rates r) {
        torchParams.put(model, params);
        torch.computeIfAbsent(model, k -> new ArrayList<>()).add(r);
    }

    /** Median of each cell over the rounds. */
    static Rates median(List<Rates> rounds) {
        double[][] cells = new double[3][rounds.size()];
        for (int i = 0; i < rounds.size(); i++) {
            double[] c = rounds.get(i).cells();
            for (int k = 0; k < 3; k++) {
                cells[k][i] = c[k];
            }
        }
        double[] m = new double[3];
        for (int k = 0; k < 3; k++) {
            double[] v = cells[k].clone();
            Arrays.sort(v);
            m[k] = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }
        return new Rates(m[0], m[1], m[2]);
    }

    /** Engine over PyTorch median per cell, by model. */
    Map<String, double[]> ratios() {
        Map<String, double[]> out = new LinkedHashMap<>();
        engine.forEach((model, rounds) -> {
            List<Rates> t = torch.get(model);
            if (t == null) {
                return;
            }
            double[] e = median(rounds).cells();
            double[] p = median(t).cells();
            out.put(model, new double[]{e[0] / p[0], e[1] / p[1], e[2] / p[2]});
        });
        return out;
    }

    /** The Markdown table: per model and cell, engine and PyTorch img/s and the ratio. */
    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| model | params | train engine | train PyTorch | ratio | inference engine | inference PyTorch "
                + "| ratio | input gradient engine | input gradient PyTorch | ratio |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, double[]> ratios = ratios();
        engine.forEach((model, rounds) -> {
            double[] e = median(rounds).cells();
            List<Rates> t = torch.get(model);
            double[] p = t == null ? null : median(t).cells();
            sb.append("| ").append(model).append(" | ").append(params(model));
            for (int k = 0; k < 3; k++) {
                sb.append(String.format(Locale.ROOT, " | %.0f | %s | %s", e[k],
                        p == null ? "–" : String.format(Locale.ROOT, "%.0f", p[k]),
                        p == null ? "–" : String.format(Locale.ROOT, "**%.2f×**", ratios.get(model)[k])));
            }
            sb.append(" |\n");
        });
        return sb.toString();
    }

    /** The lowest ratio of the table (the cell furthest behind PyTorch). */
    double worstRatio() {
        double worst = Double.POSITIVE_INFINITY;
        for (double[] r : ratios().values()) {
            for (double v : r) {
                worst = Math.min(worst, v);
            }
        }
        return worst;
    }

    private String params(String model) {
        Long e = engineParams.get(model);
        Long t = torchParams.get(model);
        if (t == null || e.equals(t)) {
            return String.format(Locale.ROOT, "%,d", e);
        }
        return String.format(Locale.ROOT, "%,d (PyTorch %,d: not the same model!)", e, t);
    }
}
