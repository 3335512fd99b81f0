package io.purifier.defense.anp;

/**
 * ANP's update rules on per-neuron arrays {@code [layer][neuron]}: the sign ascent of the neuron perturbation
 * (BackdoorBench descends {@code -CE} with SGD on the sign of the gradient, i.e. ascends the cross-entropy by a fixed
 * step), the weighted mask gradient, and the mask's SGD step with momentum (PyTorch's: the buffer starts at the
 * first gradient) followed by clipping to [0, 1].
 */
final class AnpUpdates {

    private AnpUpdates() {
    }

    /** {@code noise += step * sign(grad)}, with {@code sign(0) = 0}. */
    static void signAscent(double[][] noise, double[][] grad, double step) {
        for (int i = 0; i < noise.length; i++) {
            for (int k = 0; k < noise[i].length; k++) {
                noise[i][k] += step * Math.signum(grad[i][k]);
            }
        }
    }

    /** {@code alpha * clean + (1 - alpha) * perturbed}; {@code perturbed} null means no perturbed term. */
    static double[][] maskGradient(double alpha, double[][] clean, double[][] perturbed) {
        double[][] out = new double[clean.length][];
        for (int i = 0; i < clean.length; i++) {
            out[i] = new double[clean[i].length];
            for (int k = 0; k < clean[i].length; k++) {
                out[i][k] = alpha * clean[i][k] + (perturbed == null ? 0 : (1 - alpha) * perturbed[i][k]);
            }
        }
        return out;
    }

    /** {@code a + b} element-wise. */
    static double[][] sum(double[][] a, double[][] b) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new double[a[i].length];
            for (int k = 0; k < a[i].length; k++) {
                out[i][k] = a[i][k] + b[i][k];
            }
        }
        return out;
    }

    /** Arrays of {@code value} shaped like {@code like}. */
    static double[][] filled(double[][] like, double value) {
        double[][] out = new double[like.length][];
        for (int i = 0; i < like.length; i++) {
            out[i] = new double[like[i].length];
            java.util.Arrays.fill(out[i], value);
        }
        return out;
    }

    /** SGD with momentum on the masks, clipped to [0, 1] after every step. */
    static final class MaskSgd {

        private final double momentum;
        private double[][] buffer;

        MaskSgd(double momentum) {
            this.momentum = momentum;
        }

        /** {@code v = momentum * v + g} ({@code v = g} at the first step); {@code mask = clip(mask - lr * v, 0, 1)}. */
        void step(double[][] mask, double[][] grad, double learningRate) {
            boolean first = buffer == null;
            if (first) {
                buffer = filled(grad, 0);
            }
            for (int i = 0; i < mask.length; i++) {
                for (int k = 0; k < mask[i].length; k++) {
                    double v = first ? grad[i][k] : momentum * buffer[i][k] + grad[i][k];
                    buffer[i][k] = v;
                    mask[i][k] = Math.min(1.0, Math.max(0.0, mask[i][k] - learningRate * v));
                }
            }
        }
    }
}
