package io.purifier.engine.tensor;

import sun.misc.Unsafe;

/**
 * The FLOAT paths of {@link ChannelKernels} (and the element access of {@link ElementKernels}' FLOAT paths), used
 * when every buffer of a call is FLOAT (training and evaluation always are; DOUBLE is for gradient checks). They compute exactly what the generic kernels
 * compute, with the same double arithmetic per element and the same order of every sum, so their results are
 * bit-identical (guarded by {@code FloatKernelsTest}); what differs is how:
 * <ul>
 *   <li>raw addresses instead of {@link Buf#get}/{@link Buf#set}: the generic loops pay a type check and a
 *       conversion per access through the two {@code Buf} classes, which made an element-wise pass 4–5x slower
 *       (2026-12-03, {@code runtime/engine/README.md}, "Speed");</li>
 *   <li>per-channel sums run four channels side by side: each channel's sum is still one chain in the original order,
 *       but four independent chains keep the floating-point adder busy where one chain waits on every addition.</li>
 * </ul>
 */
final class FloatKernels {

    private static final Unsafe U = Buf.UNSAFE;
    /** Channels whose sums run side by side. */
    private static final int LANES = 4;

    private FloatKernels() {
    }

    /** Whether every buffer holds FLOAT data. */
    static boolean all(Buf... bufs) {
        for (Buf b : bufs) {
            if (!(b instanceof Buf.Floats)) {
                return false;
            }
        }
        return true;
    }

    static float at(long base, long i) {
        return U.getFloat(base + (i << 2));
    }

    static void put(long base, long i, float v) {
        U.putFloat(base + (i << 2), v);
    }

    /** Address of element {@code (image, ch, 0)} of {@code [n, c, s]} data at {@code base}. */
    private static long row(long base, int image, int c, int ch, int s) {
        return base + (((long) image * c + ch) * s << 2);
    }

    // ---- per-channel kernels over [N, C, S] ----

    /** {@link ChannelKernels#moments}: per channel, the sum, then the sum of squared deviations, each in order. */
    static void moments(Buf x, int n, int c, int s, double[] mean, double[] var) {
        long xa = x.address;
        double count = (double) n * s;
        forChannelGroups(c, (long) n * s * 2, (ch, lanes) -> {
            double[] sum = new double[LANES];
            channelSums(xa, 0, null, n, c, s, ch, lanes, sum, null);
            double[] m = new double[LANES];
            for (int l = 0; l < lanes; l++) {
                m[l] = sum[l] / count;
            }
            double[] sq = new double[LANES];
            squaredDeviations(xa, n, c, s, ch, lanes, m, sq);
            for (int l = 0; l < lanes; l++) {
                mean[ch + l] = m[l];
                var[ch + l] = sq[l] / count;
            }
        });
    }

    /** {@link ChannelKernels#sums}. */
    static double[] sums(Buf g, int n, int c, int s) {
        double[] out = new double[c];
        long ga = g.address;
        forChannelGroups(c, (long) n * s, (ch, lanes) -> {
            double[] sum = new double[LANES];
            channelSums(ga, 0, null, n, c, s, ch, lanes, sum, null);
            System.arraycopy(sum, 0, out, ch, lanes);
        });
        return out;
    }

    /** {@link ChannelKernels#dots}: per channel, the sum of {@code g * x} in order. */
    static double[] dots(Buf g, Buf x, int n, int c, int s) {
        double[] out = new double[c];
        long ga = g.address;
        long xa = x.address;
        forChannelGroups(c, (long) n * s * 2, (ch, lanes) -> {
            double[] dot = new double[LANES];
            channelSums(ga, xa, null, n, c, s, ch, lanes, null, dot);
            System.arraycopy(dot, 0, out, ch, lanes);
        });
        return out;
    }

    /** {@link ChannelKernels#normalizedDots}: per channel, the sums of {@code g} and {@code g * (x - mean)} in order. */
    static void normalizedDots(Buf g, Buf x, int n, int c, int s, double[] mean, double[] invStd, double[] sumG,
                               double[] sumGXhat) {
        long ga = g.address;
        long xa = x.address;
        forChannelGroups(c, (long) n * s * 2, (ch, lanes) -> {
            double[] sg = new double[LANES];
            double[] sgx = new double[LANES];
            channelSums(ga, xa, mean, n, c, s, ch, lanes, sg, sgx);
            for (int l = 0; l < lanes; l++) {
                sumG[ch + l] = sg[l];
                sumGXhat[ch + l] = sgx[l] * invStd[ch + l];
            }
        });
    }

    /**
     * Per channel {@code ch .. ch + lanes - 1}, in the order image by image and position by position: {@code plain}
     * receives the sum of {@code a}; {@code products} the sum of {@code a * b} (or of {@code a * (b - mean)} when
     * {@code mean} is given). Either may be null.
     */
    private static void channelSums(long a, long b, double[] mean, int n, int c, int s, int ch, int lanes,
                                    double[] plain, double[] products) {
        if (lanes == LANES) {
            double p0 = 0, p1 = 0, p2 = 0, p3 = 0;
            double q0 = 0, q1 = 0, q2 = 0, q3 = 0;
            double m0 = mean == null ? 0 : mean[ch];
            double m1 = mean == null ? 0 : mean[ch + 1];
            double m2 = mean == null ? 0 : mean[ch + 2];
            double m3 = mean == null ? 0 : mean[ch + 3];
            boolean centred = mean != null;
            for (int i = 0; i < n; i++) {
                long a0 = row(a, i, c, ch, s);
                long a1 = row(a, i, c, ch + 1, s);
                long a2 = row(a, i, c, ch + 2, s);
                long a3 = row(a, i, c, ch + 3, s);
                if (products == null) {
                    for (int k = 0; k < s; k++) {
                        p0 += at(a0, k);
                        p1 += at(a1, k);
                        p2 += at(a2, k);
                        p3 += at(a3, k);
                    }
                    continue;
                }
                long b0 = row(b, i, c, ch, s);
                long b1 = row(b, i, c, ch + 1, s);
                long b2 = row(b, i, c, ch + 2, s);
                long b3 = row(b, i, c, ch + 3, s);
                if (centred) {
                    for (int k = 0; k < s; k++) {
                        double g0 = at(a0, k);
                        double g1 = at(a1, k);
                        double g2 = at(a2, k);
                        double g3 = at(a3, k);
                        p0 += g0;
                        p1 += g1;
                        p2 += g2;
                        p3 += g3;
                        q0 += g0 * (at(b0, k) - m0);
                        q1 += g1 * (at(b1, k) - m1);
                        q2 += g2 * (at(b2, k) - m2);
                        q3 += g3 * (at(b3, k) - m3);
                    }
                } else {
                    for (int k = 0; k < s; k++) {
                        q0 += (double) at(a0, k) * at(b0, k);
                        q1 += (double) at(a1, k) * at(b1, k);
                        q2 += (double) at(a2, k) * at(b2, k);
                        q3 += (double) at(a3, k) * at(b3, k);
                    }
                }
            }
            store(plain, p0, p1, p2, p3);
            store(products, q0, q1, q2, q3);
            return;
        }
        for (int l = 0; l < lanes; l++) {
            double p = 0;
            double q = 0;
            double m = mean == null ? 0 : mean[ch + l];
            for (int i = 0; i < n; i++) {
                long al = row(a, i, c, ch + l, s);
                long bl = products == null ? 0 : row(b, i, c, ch + l, s);
                for (int k = 0; k < s; k++) {
                    double av = at(al, k);
                    p += av;
                    if (products != null) {
                        q += mean == null ? av * at(bl, k) : av * (at(bl, k) - m);
                    }
                }
            }
            if (plain != null) {
                plain[l] = p;
            }
            if (products != null) {
                products[l] = q;
            }
        }
    }

    private static void squaredDeviations(long xa, int n, int c, int s, int ch, int lanes, double[] m, double[] out) {
        if (lanes == LANES) {
            double q0 = 0, q1 = 0, q2 = 0, q3 = 0;
            for (int i = 0; i < n; i++) {
                long a0 = row(xa, i, c, ch, s);
                long a1 = row(xa, i, c, ch + 1, s);
                long a2 = row(xa, i, c, ch + 2, s);
                long a3 = row(xa, i, c, ch + 3, s);
                for (int k = 0; k < s; k++) {
                    double d0 = at(a0, k) - m[0];
                    double d1 = at(a1, k) - m[1];
                    double d2 = at(a2, k) - m[2];
                    double d3 = at(a3, k) - m[3];
                    q0 += d0 * d0;
                    q1 += d1 * d1;
                    q2 += d2 * d2;
                    q3 += d3 * d3;
                }
            }
            store(out, q0, q1, q2, q3);
            return;
        }
        for (int l = 0; l < lanes; l++) {
            double q = 0;
            for (int i = 0; i < n; i++) {
                long al = row(xa, i, c, ch + l, s);
                for (int k = 0; k < s; k++) {
                    double d = at(al, k) - m[l];
                    q += d * d;
                }
            }
            out[l] = q;
        }
    }

    private static void store(double[] out, double v0, double v1, double v2, double v3) {
        if (out != null) {
            out[0] = v0;
            out[1] = v1;
            out[2] = v2;
            out[3] = v3;
        }
    }

    /** A body over the channels {@code ch .. ch + lanes - 1}. */
    @FunctionalInterface
    private interface ChannelGroup {
        void run(int ch, int lanes);
    }

    /** Runs {@code body} over groups of up to {@link #LANES} channels, the groups in parallel. */
    private static void forChannelGroups(int c, long workPerChannel, ChannelGroup body) {
        int groups = (c + LANES - 1) / LANES;
        Parallel.forRange(groups, workPerChannel * LANES, (from, to) -> {
            for (int grp = from; grp < to; grp++) {
                int ch = grp * LANES;
                body.run(ch, Math.min(LANES, c - ch));
            }
        });
    }

    /** {@link ChannelKernels#affine}: {@code y = (float) (x * scale + shift)}. */
    static void affine(Buf x, Buf y, int n, int c, int s, double[] scale, double[] shift) {
        long xa = x.address;
        long ya = y.address;
        Parallel.forRange(n * c, s, (from, to) -> {
            for (int r = from; r < to; r++) {
                int ch = r % c;
                double a = scale[ch];
                double b = shift == null ? 0 : shift[ch];
                long xr = xa + ((long) r * s << 2);
                long yr = ya + ((long) r * s << 2);
                for (int k = 0; k < s; k++) {
                    put(yr, k, (float) (at(xr, k) * a + b));
                }
            }
        });
    }

    /** {@link ChannelKernels#batchNormTrainInputGradient}, element by element with the same expression. */
    static void batchNormTrainInputGradient(Buf g, Buf x, Buf gx, int n, int c, int s, double[] mean, double[] invStd,
                                            double[] gamma, double[] sumG, double[] sumGXhat) {
        double count = (double) n * s;
        long ga = g.address;
        long xa = x.address;
        long oa = gx.address;
        Parallel.forRange(n * c, s * 2L, (from, to) -> {
            for (int r = from; r < to; r++) {
                int ch = r % c;
                double k = gamma[ch] * invStd[ch];
                double meanG = sumG[ch] / count;
                double meanGX = sumGXhat[ch] / count;
                double m = mean[ch];
                double is = invStd[ch];
                long off = (long) r * s;
                for (int j = 0; j < s; j++) {
                    double xhat = (at(xa, off + j) - m) * is;
                    put(oa, off + j, (float) (k * (at(ga, off + j) - meanG - xhat * meanGX)));
                }
            }
        });
    }
}
