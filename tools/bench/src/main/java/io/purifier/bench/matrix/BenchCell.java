package io.purifier.bench.matrix;

/**
 * One cell of the benchmark matrix, for one of its seeds.
 *
 * @param model     the model recipe's label (e.g. {@code small-cnn})
 * @param attack    the attack id
 * @param defense   the defense id, or {@link #NO_DEFENSE}
 * @param seedIndex which of the plan's seeds: 0 runs with the plan's seed, {@code k} with the plan's seed + k
 */
public record BenchCell(String model, String attack, String defense, int seedIndex) {

    /** The defense column of the undefended (attacked) model. */
    public static final String NO_DEFENSE = "none";

    /** Checks the seed index. */
    public BenchCell {
        if (seedIndex < 0) {
            throw new IllegalArgumentException("a cell's seed index is at least 0, not " + seedIndex);
        }
    }

    /** The cell with the plan's own seed. */
    public BenchCell(String model, String attack, String defense) {
        this(model, attack, defense, 0);
    }

    /** A stable label of the cell whatever its seed, e.g. {@code small-cnn/badnets/npd}; its seeds share it. */
    public String label() {
        return model + "/" + attack + "/" + defense;
    }
}
