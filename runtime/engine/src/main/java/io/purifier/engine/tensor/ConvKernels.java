package io.purifier.engine.tensor;

/**
 * Java kernels that let convolution gradients avoid ND4J's slow generic paths: unfolding an input into columns
 * (im2col) laid out for one matrix product over the whole batch, moving the channel axis of a gradient to the
 * front, and flipping/transposing weights so that the input gradient of a stride-1 convolution is a forward
 * convolution.
 */
public final class ConvKernels {

    private ConvKernels() {
    }

    /**
     * Unfolds {@code x} {@code [N, C, H, W]} into {@code cols} {@code [C*kh*kw, N*oh*ow]}: row {@code (c, ky, kx)},
     * column {@code (n, oy, ox)} holds {@code x[n, c, oy*sh - ph + ky*dh, ox*sw - pw + kx*dw]} (0 outside).
     */
    public static void im2col(Buf x, Buf cols, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph,
                              int pw, int dh, int dw, int oh, int ow) {
        if (FloatKernels.all(x, cols)) {
            ConvFloatKernels.im2col(x, cols, n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
        } else {
            im2colGeneric(x, cols, n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
        }
    }

    /** The generic path of {@link #im2col} (any {@link Buf}; what the FLOAT path must equal bit for bit). */
    static void im2colGeneric(Buf x, Buf cols, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph,
                              int pw, int dh, int dw, int oh, int ow) {
        int rows = c * kh * kw;
        int plane = oh * ow;
        long width = (long) n * plane;
        Parallel.forRange(rows, width, (from, to) -> {
            for (int r = from; r < to; r++) {
                int ch = r / (kh * kw);
                int ky = (r / kw) % kh;
                int kx = r % kw;
                long rowBase = r * width;
                for (int img = 0; img < n; img++) {
                    int xBase = (img * c + ch) * h * w;
                    int colBase = (int) (rowBase + (long) img * plane);
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * sh - ph + ky * dh;
                        boolean rowInside = iy >= 0 && iy < h;
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * sw - pw + kx * dw;
                            double v = rowInside && ix >= 0 && ix < w ? x.get(xBase + iy * w + ix) : 0;
                            cols.set(colBase + oy * ow + ox, v);
                        }
                    }
                }
            }
        });
    }

    /** {@code out [C, N, S] = in [N, C, S]} (channel axis first). */
    public static void channelsFirst(Buf in, Buf out, int n, int c, int s) {
        if (FloatKernels.all(in, out)) {
            ConvFloatKernels.channelsFirst(in, out, n, c, s);
        } else {
            channelsFirstGeneric(in, out, n, c, s);
        }
    }

    /** The generic path of {@link #channelsFirst} (any {@link Buf}; what the FLOAT path must equal bit for bit). */
    static void channelsFirstGeneric(Buf in, Buf out, int n, int c, int s) {
        Parallel.forRange(c, (long) n * s, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                for (int i = 0; i < n; i++) {
                    int src = (i * c + ch) * s;
                    int dst = (ch * n + i) * s;
                    for (int k = 0; k < s; k++) {
                        out.set(dst + k, in.get(src + k));
                    }
                }
            }
        });
    }

    /**
     * {@code out[i, o, ky, kx] = w[o, i, kh-1-ky, kw-1-kx]}: the weights of the forward convolution that computes the
     * input gradient of a stride-1, dilation-1 convolution (with padding {@code k - 1 - p}).
     */
    public static void flipTranspose(Buf w, Buf out, int o, int i, int kh, int kw) {
        for (int oc = 0; oc < o; oc++) {
            for (int ic = 0; ic < i; ic++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        double v = w.get(((oc * i + ic) * kh + y) * kw + x);
                        out.set(((ic * o + oc) * kh + (kh - 1 - y)) * kw + (kw - 1 - x), v);
                    }
                }
            }
        }
    }

    /**
     * Places {@code d} {@code [C, N, oh*ow]} at the strided positions of {@code dx} {@code [N, C, H, W]}
     * ({@code dx[n, c, oy*sh, ox*sw] = d[c, n, oy, ox]}) and zeroes the rest: the input gradient of a 1x1
     * convolution with stride.
     */
    public static void scatterStrided(Buf d, Buf dx, int n, int c, int h, int w, int oh, int ow, int sh, int sw) {
        if (FloatKernels.all(d, dx)) {
            ConvFloatKernels.scatterStrided(d, dx, n, c, h, w, oh, ow, sh, sw);
        } else {
            scatterStridedGeneric(d, dx, n, c, h, w, oh, ow, sh, sw);
        }
    }

    /** The generic path of {@link #scatterStrided} (any {@link Buf}; what the FLOAT path must equal bit for bit). */
    static void scatterStridedGeneric(Buf d, Buf dx, int n, int c, int h, int w, int oh, int ow, int sh, int sw) {
        Parallel.forRange(n * c, (long) h * w, (from, to) -> {
            for (int row = from; row < to; row++) {
                int img = row / c;
                int ch = row % c;
                int base = row * h * w;
                for (int k = 0; k < h * w; k++) {
                    dx.set(base + k, 0);
                }
                int src = (ch * n + img) * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        dx.set(base + oy * sh * w + ox * sw, d.get(src + oy * ow + ox));
                    }
                }
            }
        });
    }
}
