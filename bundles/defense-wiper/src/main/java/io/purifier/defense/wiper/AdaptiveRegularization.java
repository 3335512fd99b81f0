package io.purifier.defense.wiper;

/**
 * The adaptive regularization (AR) penalty of WIPER and its gradient, element by element. The penalty is summed
 * (not averaged) over the elements of a purifying layer's parameters.
 *
 * <p>Corrected form, for selected elements: {@code R(w) = alpha |w|} when {@code |w| <= 1} and
 * {@code alpha e^(|w| - 1)} otherwise (continuous with a continuous slope at {@code |w| = 1}); gradient
 * {@code alpha sign(w)} and {@code alpha sign(w) e^(|w| - 1)}; unselected elements: 0.</p>
 *
 * <p>Reference form (the authors' code): the region is decided on {@code w * m} with the mask {@code m} in
 * {0, 1}, so unselected elements always fall into the middle region and pay {@code alpha |w|}; selected elements
 * above 1 pay {@code alpha e^(w - 1)}; selected elements below -1 pay {@code -alpha e^(-w - 1)}, whose gradient
 * {@code +alpha e^(-w - 1)} makes gradient descent push them further negative. The gradient of {@code |w|} at 0
 * is 0, as in PyTorch.</p>
 */
final class AdaptiveRegularization {

    private final PenaltyVariant variant;
    private final double alpha;

    /**
     * @param variant which form
     * @param alpha   the strength, at least 0
     */
    AdaptiveRegularization(PenaltyVariant variant, double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be a finite number >= 0, got " + alpha);
        }
        this.variant = variant;
        this.alpha = alpha;
    }

    /** The penalty of one element with value {@code w}, selected or not. */
    double value(double w, boolean selected) {
        if (variant == PenaltyVariant.CORRECTED) {
            if (!selected) {
                return 0;
            }
            double a = Math.abs(w);
            return a <= 1 ? alpha * a : alpha * Math.exp(a - 1);
        }
        double masked = selected ? w : 0;
        if (masked > 1) {
            return alpha * Math.exp(w - 1);
        }
        if (masked < -1) {
            return -alpha * Math.exp(-w - 1);
        }
        return alpha * Math.abs(w);
    }

    /** The derivative of {@link #value} with respect to {@code w}. */
    double gradient(double w, boolean selected) {
        if (variant == PenaltyVariant.CORRECTED) {
            if (!selected) {
                return 0;
            }
            double a = Math.abs(w);
            return a <= 1 ? alpha * Math.signum(w) : alpha * Math.signum(w) * Math.exp(a - 1);
        }
        double masked = selected ? w : 0;
        if (masked > 1) {
            return alpha * Math.exp(w - 1);
        }
        if (masked < -1) {
            return alpha * Math.exp(-w - 1);
        }
        return alpha * Math.signum(w);
    }

    /**
     * The summed penalty of a parameter tensor, writing the gradient of every element into {@code gradient}.
     *
     * @param weights  the elements (flattened)
     * @param selected the selection mask, same length
     * @param gradient receives the penalty's gradient, same length
     * @return the summed penalty
     */
    double apply(double[] weights, boolean[] selected, double[] gradient) {
        if (selected.length != weights.length || gradient.length != weights.length) {
            throw new IllegalArgumentException("weights, mask and gradient lengths differ: " + weights.length + ", "
                    + selected.length + ", " + gradient.length);
        }
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += value(weights[i], selected[i]);
            gradient[i] = gradient(weights[i], selected[i]);
        }
        return sum;
    }
}
