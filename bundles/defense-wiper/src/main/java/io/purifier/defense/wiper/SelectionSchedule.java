package io.purifier.defense.wiper;

/**
 * The "dynamic" purifying strategy: the selected fraction grows linearly from {@code beta} towards 1 and
 * reaches 1 in the last epoch, {@code r_e = beta + (1 - beta) * e / E} for epochs {@code e = 1..E}, and
 * {@code k = floor(r_e * n)} elements of an {@code n}-element tensor are selected (the reference code's
 * {@code int(ratio * numel)}, evaluated in the same order of double operations).
 */
final class SelectionSchedule {

    private final double beta;
    private final int epochs;

    /**
     * @param beta   the starting fraction, in [0, 1]
     * @param epochs the number of purification epochs, at least 1
     */
    SelectionSchedule(double beta, int epochs) {
        if (!(beta >= 0 && beta <= 1)) {
            throw new IllegalArgumentException("beta must be in [0, 1], got " + beta);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        this.beta = beta;
        this.epochs = epochs;
    }

    /** The selected fraction in {@code epoch} (1-based). */
    double fraction(int epoch) {
        if (epoch < 1 || epoch > epochs) {
            throw new IllegalArgumentException("epoch must be in [1, " + epochs + "], got " + epoch);
        }
        return beta + (1 - beta) * epoch / epochs;
    }

    /** How many of {@code n} elements are selected in {@code epoch} (1-based). */
    int count(int epoch, int n) {
        return (int) (fraction(epoch) * n);
    }
}
