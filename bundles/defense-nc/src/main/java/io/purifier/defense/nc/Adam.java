package io.purifier.defense.nc;

/**
 * PyTorch's Adam on a plain vector (no weight decay, no AMSGrad): {@code m = b1 m + (1 - b1) g},
 * {@code v = b2 v + (1 - b2) g^2}, {@code x -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}. Neural Cleanse
 * optimises its mask and pattern with betas (0.5, 0.9).
 */
final class Adam {

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double[] m;
    private final double[] v;
    private int t;

    Adam(int size, double learningRate, double beta1, double beta2, double eps) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.m = new double[size];
        this.v = new double[size];
    }

    /** One update of {@code x} in place with gradient {@code g}. */
    void step(double[] x, double[] g) {
        if (x.length != m.length || g.length != m.length) {
            throw new IllegalArgumentException("Adam holds " + m.length + " values, got " + x.length + " and " + g.length);
        }
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < x.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            x[i] -= learningRate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
        }
    }
}
