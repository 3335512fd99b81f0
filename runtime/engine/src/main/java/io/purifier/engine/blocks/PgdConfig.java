package io.purifier.engine.blocks;

import io.purifier.engine.model.BnMode;

/**
 * Projected gradient descent on the input, in [0, 1] pixel space (the model normalizes internally, so
 * epsilon is in pixel units).
 *
 * @param norm        the threat model
 * @param epsilon     radius of the perturbation ball
 * @param stepSize    step length (per step, in the norm's units)
 * @param steps       number of steps
 * @param randomStart whether to start from a random point in the ball
 * @param targeted    false: maximise the loss of the given (true) labels; true: minimise the loss of the given
 *                    (target) labels
 * @param mode        batch-norm mode of the forward passes (normally {@link BnMode#EVAL})
 */
public record PgdConfig(Norm norm, double epsilon, double stepSize, int steps, boolean randomStart, boolean targeted,
                        BnMode mode) {

    /** The threat models. */
    public enum Norm {
        /** Each pixel moves at most epsilon; steps follow the gradient sign. */
        LINF,
        /** The per-image L2 norm of the perturbation is at most epsilon; steps follow the normalised gradient. */
        L2
    }

    /** Checks the values. */
    public PgdConfig {
        if (norm == null || mode == null) {
            throw new IllegalArgumentException("norm and mode are required");
        }
        if (!(epsilon >= 0) || !(stepSize >= 0) || steps < 0) {
            throw new IllegalArgumentException("PGD needs epsilon >= 0, stepSize >= 0, steps >= 0; got epsilon="
                    + epsilon + " stepSize=" + stepSize + " steps=" + steps);
        }
    }

    /** Untargeted L-infinity PGD in eval mode with a random start. */
    public static PgdConfig linf(double epsilon, double stepSize, int steps) {
        return new PgdConfig(Norm.LINF, epsilon, stepSize, steps, true, false, BnMode.EVAL);
    }

    /** Untargeted L2 PGD in eval mode with a random start. */
    public static PgdConfig l2(double epsilon, double stepSize, int steps) {
        return new PgdConfig(Norm.L2, epsilon, stepSize, steps, true, false, BnMode.EVAL);
    }

    /** A targeted copy. */
    public PgdConfig asTargeted() {
        return new PgdConfig(norm, epsilon, stepSize, steps, randomStart, true, mode);
    }

    /** A copy without random start. */
    public PgdConfig withoutRandomStart() {
        return new PgdConfig(norm, epsilon, stepSize, steps, false, targeted, mode);
    }
}
