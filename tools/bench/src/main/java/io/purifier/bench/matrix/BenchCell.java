package io.purifier.bench.matrix;

/**
 * One cell of the benchmark matrix.
 *
 * @param model   the model recipe's label (e.g. {@code small-cnn})
 * @param attack  the attack id
 * @param defense the defense id, or {@link #NO_DEFENSE}
 */
public record BenchCell(String model, String attack, String defense) {

    /** The defense column of the undefended (attacked) model. */
    public static final String NO_DEFENSE = "none";

    /** A stable label, used as the run name suffix, e.g. {@code small-cnn/badnets/npd}. */
    public String label() {
        return model + "/" + attack + "/" + defense;
    }
}
