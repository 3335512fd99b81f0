package io.purifier.engine.tensor;

/**
 * 2-D pooling over NCHW planes, parallel over planes. A window is {@code kh x kw} with strides {@code sh, sw}; the
 * output pixel {@code (oy, ox)} covers input rows {@code oy*sh - padTop ...} and columns {@code ox*sw - padLeft ...};
 * positions outside the input are skipped (max pooling ignores them; average pooling divides by the window area
 * or by the number of positions inside, as chosen).
 *
 * @see Geometry
 */
public final class PoolKernels {

    private PoolKernels() {
    }

    /**
     * The shape of one pooling: input and output planes, window, stride and leading padding.
     *
     * @param planes  {@code N*C}
     * @param h       input height
     * @param w       input width
     * @param oh      output height
     * @param ow      output width
     * @param kh      window height
     * @param kw      window width
     * @param sh      vertical stride
     * @param sw      horizontal stride
     * @param padTop  rows of padding before the first row
     * @param padLeft columns of padding before the first column
     */
    public record Geometry(int planes, int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int padTop,
                           int padLeft) {
    }

    /**
     * Max pooling; {@code argmax} receives, per output element, the index within its input plane of the maximum
     * (the first one on ties), or -1 for a window entirely outside the input.
     */
    public static void maxForward(Buf x, Buf y, int[] argmax, Geometry g) {
        int in = g.h() * g.w();
        int out = g.oh() * g.ow();
        Parallel.forRange(g.planes(), (long) out * g.kh() * g.kw(), (from, to) -> {
            for (int p = from; p < to; p++) {
                int xo = p * in;
                int yo = p * out;
                for (int oy = 0; oy < g.oh(); oy++) {
                    int y0 = oy * g.sh() - g.padTop();
                    for (int ox = 0; ox < g.ow(); ox++) {
                        int x0 = ox * g.sw() - g.padLeft();
                        double best = Double.NEGATIVE_INFINITY;
                        int at = -1;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            int r = y0 + ky;
                            if (r < 0 || r >= g.h()) {
                                continue;
                            }
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int c = x0 + kx;
                                if (c < 0 || c >= g.w()) {
                                    continue;
                                }
                                double v = x.get(xo + r * g.w() + c);
                                if (v > best || at < 0) {
                                    best = v;
                                    at = r * g.w() + c;
                                }
                            }
                        }
                        int k = yo + oy * g.ow() + ox;
                        argmax[k] = at;
                        y.set(k, at < 0 ? 0 : best);
                    }
                }
            }
        });
    }

    /** Max-pooling gradient: {@code gx} (zeroed here) receives each output gradient at its arg-max. */
    public static void maxBackward(Buf gy, Buf gx, int[] argmax, Geometry g) {
        int in = g.h() * g.w();
        int out = g.oh() * g.ow();
        Parallel.forRange(g.planes(), in + out, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xo = p * in;
                for (int i = 0; i < in; i++) {
                    gx.set(xo + i, 0);
                }
                int yo = p * out;
                for (int k = 0; k < out; k++) {
                    int at = argmax[yo + k];
                    if (at >= 0) {
                        gx.add(xo + at, gy.get(yo + k));
                    }
                }
            }
        });
    }

    /** Average pooling; {@code countPadding} divides by the full window area, otherwise by the positions inside. */
    public static void avgForward(Buf x, Buf y, Geometry g, boolean countPadding) {
        int in = g.h() * g.w();
        int out = g.oh() * g.ow();
        Parallel.forRange(g.planes(), (long) out * g.kh() * g.kw(), (from, to) -> {
            for (int p = from; p < to; p++) {
                int xo = p * in;
                int yo = p * out;
                for (int oy = 0; oy < g.oh(); oy++) {
                    for (int ox = 0; ox < g.ow(); ox++) {
                        double sum = 0;
                        int inside = 0;
                        int y0 = oy * g.sh() - g.padTop();
                        int x0 = ox * g.sw() - g.padLeft();
                        for (int ky = 0; ky < g.kh(); ky++) {
                            int r = y0 + ky;
                            if (r < 0 || r >= g.h()) {
                                continue;
                            }
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int c = x0 + kx;
                                if (c >= 0 && c < g.w()) {
                                    sum += x.get(xo + r * g.w() + c);
                                    inside++;
                                }
                            }
                        }
                        int divisor = countPadding ? g.kh() * g.kw() : Math.max(1, inside);
                        y.set(yo + oy * g.ow() + ox, sum / divisor);
                    }
                }
            }
        });
    }

    /** Average-pooling gradient ({@code gx} is zeroed here). */
    public static void avgBackward(Buf gy, Buf gx, Geometry g, boolean countPadding) {
        int in = g.h() * g.w();
        int out = g.oh() * g.ow();
        Parallel.forRange(g.planes(), (long) out * g.kh() * g.kw() + in, (from, to) -> {
            for (int p = from; p < to; p++) {
                int xo = p * in;
                for (int i = 0; i < in; i++) {
                    gx.set(xo + i, 0);
                }
                int yo = p * out;
                for (int oy = 0; oy < g.oh(); oy++) {
                    for (int ox = 0; ox < g.ow(); ox++) {
                        int y0 = oy * g.sh() - g.padTop();
                        int x0 = ox * g.sw() - g.padLeft();
                        int inside = 0;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int r = y0 + ky;
                                int c = x0 + kx;
                                if (r >= 0 && r < g.h() && c >= 0 && c < g.w()) {
                                    inside++;
                                }
                            }
                        }
                        int divisor = countPadding ? g.kh() * g.kw() : Math.max(1, inside);
                        double share = gy.get(yo + oy * g.ow() + ox) / divisor;
                        for (int ky = 0; ky < g.kh(); ky++) {
                            int r = y0 + ky;
                            if (r < 0 || r >= g.h()) {
                                continue;
                            }
                            for (int kx = 0; kx < g.kw(); kx++) {
                                int c = x0 + kx;
                                if (c >= 0 && c < g.w()) {
                                    gx.add(xo + r * g.w() + c, share);
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /** {@code y[p] = mean of plane p} for {@code planes} planes of {@code size} elements. */
    public static void globalAvgForward(Buf x, Buf y, int planes, int size) {
        Parallel.forRange(planes, size, (from, to) -> {
            for (int p = from; p < to; p++) {
                double sum = 0;
                int off = p * size;
                for (int i = 0; i < size; i++) {
                    sum += x.get(off + i);
                }
                y.set(p, sum / size);
            }
        });
    }

    /** Gradient of {@link #globalAvgForward}: every element of plane p gets {@code gy[p] / size}. */
    public static void globalAvgBackward(Buf gy, Buf gx, int planes, int size) {
        Parallel.forRange(planes, size, (from, to) -> {
            for (int p = from; p < to; p++) {
                double v = gy.get(p) / size;
                int off = p * size;
                for (int i = 0; i < size; i++) {
                    gx.set(off + i, v);
                }
            }
        });
    }
}
