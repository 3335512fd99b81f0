package io.purifier.defense.bcu;

/**
 * BCU's distillation temperature, rising linearly over the epochs: {@code T_e = 1 + (Tmax - 1)(e + 1)/E} for the
 * 0-based epoch {@code e} of {@code E}. With the reference code's {@code Tmax = 4} this is
 * {@code T_e = 1 + 3(e + 1)/E}: just above 1 in the first epoch, exactly 4 in the last.
 *
 * @param epochs         E, the number of distillation epochs (at least 1)
 * @param maxTemperature Tmax, the temperature of the last epoch (at least 1)
 */
record TemperatureSchedule(int epochs, double maxTemperature) {

    /** Checks the values. */
    TemperatureSchedule {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (!(maxTemperature >= 1) || Double.isInfinite(maxTemperature)) {
            throw new IllegalArgumentException("maxTemperature must be a finite number >= 1, got " + maxTemperature);
        }
    }

    /**
     * The temperature of epoch {@code epoch}.
     *
     * @param epoch 0-based epoch in {@code [0, epochs)}
     */
    double at(int epoch) {
        if (epoch < 0 || epoch >= epochs) {
            throw new IllegalArgumentException("epoch " + epoch + " is outside [0, " + epochs + ")");
        }
        return 1.0 + (maxTemperature - 1.0) * (epoch + 1) / epochs;
    }
}
