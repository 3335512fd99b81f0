package io.purifier.engine.tensor;

/**
 * Per-channel kernels over {@code [N, C, S]} data (an NCHW tensor with {@code S = H*W}, or {@code [N, C]} with
 * {@code S = 1}), parallel over channels: batch statistics, affine maps and the batch-norm backward pass. ND4J's
 * generic broadcast and reduction paths over these layouts were 5–10x slower than these loops on this machine.
 * FLOAT data takes {@link FloatKernels}' paths, which give bit-identical results faster.
 */
public final class ChannelKernels {

    private ChannelKernels() {
    }

    /**
     * Mean and biased variance of every channel over batch and space.
     *
     * @param mean out: {@code C} means
     * @param var  out: {@code C} biased variances
     */
    public static void moments(Buf x, int n, int c, int s, double[] mean, double[] var) {
        if (FloatKernels.all(x)) {
            FloatKernels.moments(x, n, c, s, mean, var);
            return;
        }
        momentsGeneric(x, n, c, s, mean, var);
    }

    /** The generic path of {@link #moments} (any {@link Buf}; what the FLOAT path must equal bit for bit). */
    static void momentsGeneric(Buf x, int n, int c, int s, double[] mean, double[] var) {
        double count = (double) n * s;
        Parallel.forRange(c, (long) n * s * 2, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * s;
                    for (int k = 0; k < s; k++) {
                        sum += x.get(off + k);
                    }
                }
                double m = sum / count;
                double sq = 0;
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * s;
                    for (int k = 0; k < s; k++) {
                        double d = x.get(off + k) - m;
                        sq += d * d;
                    }
                }
                mean[ch] = m;
                var[ch] = sq / count;
            }
        });
    }

    /** {@code y = x * scale[ch] + shift[ch]} ({@code y} may be {@code x}). */
    public static void affine(Buf x, Buf y, int n, int c, int s, double[] scale, double[] shift) {
        if (FloatKernels.all(x, y)) {
            FloatKernels.affine(x, y, n, c, s, scale, shift);
            return;
        }
        affineGeneric(x, y, n, c, s, scale, shift);
    }

    /** The generic path of {@link #affine} (any {@link Buf}; what the FLOAT path must equal bit for bit). */
    static void affineGeneric(Buf x, Buf y, int n, int c, int s, double[] scale, double[] shift) {
        Parallel.forRange(n * c, s, (from, to) -> {
            for (int row = from; row < to; row++) {
                int ch = row % c;
                double a = scale[ch];
                double b = shift == null ? 0 : shift[ch];
                int off = row * s;
                for (int k = 0; k < s; k++) {
                    y.set(off + k, x.get(off + k) * a + b);
                }
            }
        });
    }

    /** Per-channel sum of {@code g} over batch and space. */
    public static double[] sums(Buf g, int n, int c, int s) {
        if (FloatKernels.all(g)) {
            return FloatKernels.sums(g, n, c, s);
        }
        return sumsGeneric(g, n, c, s);
    }

    /** The generic path of {@link #sums} (any {@link Buf}; what the FLOAT path must equal bit for bit). */
    static double[] sumsGeneric(Buf g, int n, int c, int s) {
        double[] out = new double[c];
        Parallel.forRange(c, (long) n * s, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * s;
                    for (int k = 0; k < s; k++) {
                        sum += g.get(off + k);
                    }
                }
                out[ch] = sum;
            }
        });
        return out;
    }

    /** Per-channel sum of {@code g * x} over batch and space. */
    public static double[] dots(Buf g, Buf x, int n, int c, int s) {
        if (FloatKernels.all(g, x)) {
            return FloatKernels.dots(g, x, n, c, s);
        }
        return dotsGeneric(g, x, n, c, s);
    }

    /** The generic path of {@link #dots} (any {@link Buf}; what the FLOAT path must equal bit for bit). */
    static double[] dotsGeneric(Buf g, Buf x, int n, int c, int s) {
        double[] out = new double[c];
        Parallel.forRange(c, (long) n * s * 2, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * s;
                    for (int k = 0; k < s; k++) {
                        sum += g.get(off + k) * x.get(off + k);
                    }
                }
                out[ch] = sum;
            }
        });
        return out;
    }

    /**
     * Per-channel sums of {@code g} and of {@code g * (x - mean) * invStd} (the normalized input), in one pass.
     *
     * @param sumG    out: sum of g per channel
     * @param sumGXhat out: sum of g times the normalized input per channel
     */
    public static void normalizedDots(Buf g, Buf x, int n, int c, int s, double[] mean, double[] invStd,
                                      double[] sumG, double[] sumGXhat) {
        if (FloatKernels.all(g, x)) {
            FloatKernels.normalizedDots(g, x, n, c, s, mean, invStd, sumG, sumGXhat);
            return;
        }
        normalizedDotsGeneric(g, x, n, c, s, mean, invStd, sumG, sumGXhat);
    }

    /** The generic path of {@link #normalizedDots} (any {@link Buf}; what the FLOAT path must equal bit for bit). */
    static void normalizedDotsGeneric(Buf g, Buf x, int n, int c, int s, double[] mean, double[] invStd,
                                      double[] sumG, double[] sumGXhat) {
        Parallel.forRange(c, (long) n * s * 2, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double sg = 0;
                double sgx = 0;
                double m = mean[ch];
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * s;
                    for (int k = 0; k < s; k++) {
                        double gv = g.get(off + k);
                        sg += gv;
                        sgx += gv * (x.get(off + k) - m);
                    }
                }
                sumG[ch] = sg;
                sumGXhat[ch] = sgx * invStd[ch];
            }
        });
    }

    /**
     * Input gradient of training-mode batch norm: {@code gx = gamma*invStd * (g - sumG/M - xhat * sumGXhat/M)} with
     * {@code M = n*s} and {@code xhat = (x - mean) * invStd}.
     */
    public static void batchNormTrainInputGradient(Buf g, Buf x, Buf gx, int n, int c, int s, double[] mean,
                                                   double[] invStd, double[] gamma, double[] sumG, double[] sumGXhat) {
        if (FloatKernels.all(g, x, gx)) {
            FloatKernels.batchNormTrainInputGradient(g, x, gx, n, c, s, mean, invStd, gamma, sumG, sumGXhat);
            return;
        }
        batchNormTrainInputGradientGeneric(g, x, gx, n, c, s, mean, invStd, gamma, sumG, sumGXhat);
    }

    /** The generic path of {@link #batchNormTrainInputGradient} (any {@link Buf}; what the FLOAT path must equal bit for bit). */
    static void batchNormTrainInputGradientGeneric(Buf g, Buf x, Buf gx, int n, int c, int s, double[] mean,
                                                   double[] invStd, double[] gamma, double[] sumG, double[] sumGXhat) {
        double count = (double) n * s;
        Parallel.forRange(n * c, s * 2L, (from, to) -> {
            for (int row = from; row < to; row++) {
                int ch = row % c;
                double k = gamma[ch] * invStd[ch];
                double meanG = sumG[ch] / count;
                double meanGX = sumGXhat[ch] / count;
                double m = mean[ch];
                double is = invStd[ch];
                int off = row * s;
                for (int j = 0; j < s; j++) {
                    double xhat = (x.get(off + j) - m) * is;
                    gx.set(off + j, k * (g.get(off + j) - meanG - xhat * meanGX));
                }
            }
        });
    }
}
