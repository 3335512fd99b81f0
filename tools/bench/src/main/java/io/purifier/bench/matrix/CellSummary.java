package io.purifier.bench.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cell of the matrix over its seeds: for every metric the mean, the sample standard deviation and how many seeds
 * gave a value, from the runs that succeeded; how many runs did not; the mean wall time and the largest peak memory.
 *
 * @param model       the model recipe's label
 * @param attack      the attack id
 * @param defense     the defense column
 * @param metrics     metric name → its statistics over the succeeded seeds (in {@link MatrixTables#METRICS} order)
 * @param succeeded   runs that succeeded
 * @param failed      runs that did not succeed, with their status (FAILED, CANCELLED, ...)
 * @param wallSeconds mean wall time of the succeeded runs (of all runs when none succeeded)
 * @param peakRssMb   the largest peak memory sampled (0: none sampled)
 * @param runIds      the runs, in seed order
 */
public record CellSummary(String model, String attack, String defense, Map<String, Stat> metrics, int succeeded,
                          List<String> failed, double wallSeconds, double peakRssMb, List<Long> runIds) {

    /**
     * A metric over seeds.
     *
     * @param mean the mean
     * @param sd   the sample standard deviation (divisor n − 1); 0 for a single value
     * @param n    how many seeds gave a value
     */
    public record Stat(double mean, double sd, int n) {

        /** The statistics of {@code values} (at least one). */
        public static Stat of(List<Double> values) {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("statistics need at least one value");
            }
            int n = values.size();
            double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
            if (n == 1) {
                return new Stat(mean, 0, 1);
            }
            double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            return new Stat(mean, Math.sqrt(squares / (n - 1)), n);
        }
    }

    /** Whether every run of the cell failed (nothing to show but the status). */
    public boolean allFailed() {
        return succeeded == 0;
    }

    /** The results of one cell (every seed of one model/attack/defense); at least one. */
    public static CellSummary of(List<BenchResult> seeds) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a cell summary needs at least one result");
        }
        BenchCell cell = seeds.get(0).cell();
        List<BenchResult> ok = seeds.stream().filter(BenchResult::ok).toList();
        Map<String, Stat> metrics = new LinkedHashMap<>();
        for (String name : MatrixTables.METRICS) {
            List<Double> values = new ArrayList<>();
            for (BenchResult r : ok) {
                Double v = r.metrics().get(name);
                if (v != null) {
                    values.add(v);
                }
            }
            if (!values.isEmpty()) {
                metrics.put(name, Stat.of(values));
            }
        }
        List<BenchResult> timed = ok.isEmpty() ? seeds : ok;
        double wall = timed.stream().mapToDouble(BenchResult::wallSeconds).average().orElse(0);
        double peak = seeds.stream().mapToDouble(BenchResult::peakRssMb).max().orElse(0);
        List<String> failed = seeds.stream().filter(r -> !r.ok()).map(BenchResult::status).toList();
        return new CellSummary(cell.model(), cell.attack(), cell.defense(), metrics, ok.size(), failed, wall, peak,
                seeds.stream().map(BenchResult::runId).toList());
    }

    /** The results grouped by cell (model, attack, defense; every seed together), in the order cells first appear. */
    public static List<CellSummary> byCell(List<BenchResult> results) {
        Map<String, List<BenchResult>> byCell = new LinkedHashMap<>();
        for (BenchResult r : results) {
            byCell.computeIfAbsent(r.cell().label(), k -> new ArrayList<>()).add(r);
        }
        return byCell.values().stream().map(CellSummary::of).toList();
    }
}
