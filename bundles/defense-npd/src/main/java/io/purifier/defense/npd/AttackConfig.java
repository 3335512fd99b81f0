package io.purifier.defense.npd;

/**
 * The inner targeted attack of one NPD run, with the radius already scaled to the input size.
 *
 * @param norm              L2 or L-infinity
 * @param radius            radius in [0, 1] pixel units
 * @param stepSize          step size
 * @param steps             maximum number of steps
 * @param stepRule          sign or plain gradient steps
 * @param maxInit           start at {@code +radius} on every pixel instead of 0
 * @param earlyStopFraction stop after a step once more than this fraction of the batch hits its target
 * @param lossBound         per-sample losses are clamped to {@code [-lossBound, lossBound]}
 */
record AttackConfig(AttackNorm norm, double radius, double stepSize, int steps, StepRule stepRule, boolean maxInit,
                    double earlyStopFraction, double lossBound) {

    /** Checks the values. */
    AttackConfig {
        if (!(radius >= 0) || !(stepSize >= 0) || steps < 0 || !(lossBound >= 0)) {
            throw new IllegalArgumentException("attack needs radius, stepSize, lossBound >= 0 and steps >= 0; got radius="
                    + radius + " stepSize=" + stepSize + " steps=" + steps + " lossBound=" + lossBound);
        }
    }
}
