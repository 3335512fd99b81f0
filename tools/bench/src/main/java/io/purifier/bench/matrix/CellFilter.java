package io.purifier.bench.matrix;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which cells of a plan one invocation of the matrix runs ({@code --models m}, {@code --attacks a,b},
 * {@code --defenses x,y}), so that a long plan can be run in parts; the other cells are only taken from the history
 * or the record. The undefended column of every selected model and attack always runs.
 *
 * @param attacks  the attack ids to run; empty = every attack of the plan
 * @param defenses defense ids (every column of that defense) or column labels (e.g. {@code wiper-corrected}) to run;
 *                 {@value BenchCell#NO_DEFENSE} alone runs only the undefended column (the attacked models); empty =
 *                 every column
 * @param models   the model labels of the plan to run (e.g. {@code preact-resnet18-w0.125}); empty = every model
 */
public record CellFilter(Set<String> attacks, Set<String> defenses, Set<String> models) {

    /** No filter: every cell runs. */
    public static final CellFilter ALL = new CellFilter(Set.of(), Set.of());

    /** Copies the sets. */
    public CellFilter {
        attacks = Set.copyOf(attacks);
        defenses = Set.copyOf(defenses);
        models = Set.copyOf(models);
    }

    /** A filter over attacks and defenses, every model. */
    public CellFilter(Set<String> attacks, Set<String> defenses) {
        this(attacks, defenses, Set.of());
    }

    /**
     * Parses a comma-separated list of ids given to {@code option}.
     *
     * @throws IllegalArgumentException when the list is missing or has an empty entry
     */
    static Set<String> list(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " needs a comma-separated list of ids");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String id : value.split(",", -1)) {
            if (id.isBlank()) {
                throw new IllegalArgumentException(option + " has an empty entry in '" + value + "'");
            }
            out.add(id.trim());
        }
        return out;
    }

    /**
     * Checks the filter against what the server has installed.
     *
     * @param installedAttacks the installed attack ids
     * @param columns          the plan's defense columns (from the installed defenses)
     * @throws IllegalArgumentException naming every unknown id and listing the known ones
     */
    public void check(List<String> installedAttacks, List<DefenseSetup> columns) {
        List<String> problems = new ArrayList<>();
        List<String> unknownAttacks = attacks.stream().filter(a -> !installedAttacks.contains(a)).sorted().toList();
        if (!unknownAttacks.isEmpty()) {
            problems.add("--attacks: unknown " + String.join(", ", unknownAttacks) + " (installed attacks: "
                    + String.join(", ", new TreeSet<>(installedAttacks)) + ")");
        }
        Set<String> known = new TreeSet<>(Set.of(BenchCell.NO_DEFENSE));
        columns.forEach(c -> {
            known.add(c.defenseId());
            known.add(c.label());
        });
        List<String> unknownDefenses = defenses.stream().filter(d -> !known.contains(d)).sorted().toList();
        if (!unknownDefenses.isEmpty()) {
            problems.add("--defenses: unknown " + String.join(", ", unknownDefenses) + " (installed defenses and columns: "
                    + String.join(", ", known) + ")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * Whether this invocation runs {@code cell}: its attack is selected, and its column is the undefended one or is
     * selected (by its label or its defense's id).
     *
     * @param columns the plan's defense columns, to find a column's defense id
     */
    public boolean runs(BenchCell cell, List<DefenseSetup> columns) {
        if (!models.isEmpty() && !models.contains(cell.model())) {
            return false;
        }
        if (!attacks.isEmpty() && !attacks.contains(cell.attack())) {
            return false;
        }
        if (defenses.isEmpty() || cell.defense().equals(BenchCell.NO_DEFENSE) || defenses.contains(cell.defense())) {
            return true;
        }
        return columns.stream().anyMatch(c -> c.label().equals(cell.defense()) && defenses.contains(c.defenseId()));
    }

    /**
     * Checks the model labels against the plan's.
     *
     * @throws IllegalArgumentException naming every unknown label and listing the plan's
     */
    public void checkModels(List<String> planModels) {
        List<String> unknown = models.stream().filter(m -> !planModels.contains(m)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--models: unknown " + String.join(", ", unknown)
                    + " (this profile's models: " + String.join(", ", planModels) + ")");
        }
    }

    /** Whether every cell runs. */
    public boolean isAll() {
        return attacks.isEmpty() && defenses.isEmpty() && models.isEmpty();
    }
}
