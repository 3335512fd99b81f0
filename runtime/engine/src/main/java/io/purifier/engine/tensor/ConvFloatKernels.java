package io.purifier.engine.tensor;

import sun.misc.Unsafe;

/**
 * The FLOAT paths of {@link ConvKernels}' data movement ({@code im2col}, {@code channelsFirst},
 * {@code scatterStrided}): the same copies on raw addresses instead of {@link Buf#get}/{@link Buf#set}, which cost a
 * type check and a float→double→float round trip per element. They only move values and write zeros, so their output
 * is bit-identical to the generic paths' ({@code FloatKernelsTest}). Profiled on 2026-12-04, the generic paths were
 * 2.7 % of a PreAct-ResNet-18 w0.125 training step's CPU time (its first convolution has one input channel and its
 * shortcuts are strided 1x1 convolutions, whose gradients take these kernels).
 */
final class ConvFloatKernels {

    private static final Unsafe U = Buf.UNSAFE;

    private ConvFloatKernels() {
    }

    /** {@link ConvKernels#im2col} on FLOAT buffers. */
    static void im2col(Buf x, Buf cols, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                       int dh, int dw, int oh, int ow) {
        long xa = x.address;
        long ca = cols.address;
        int rows = c * kh * kw;
        int plane = oh * ow;
        long width = (long) n * plane;
        Parallel.forRange(rows, width, (from, to) -> {
            for (int r = from; r < to; r++) {
                int ch = r / (kh * kw);
                int ky = (r / kw) % kh;
                int kx = r % kw;
                int shift = kx * dw - pw;
                int oxLo = 0;
                while (oxLo < ow && oxLo * sw + shift < 0) {
                    oxLo++;
                }
                int oxHi = ow;
                while (oxHi > oxLo && (oxHi - 1) * sw + shift >= w) {
                    oxHi--;
                }
                long rowBase = r * width;
                for (int img = 0; img < n; img++) {
                    long xPlane = xa + ((long) (img * c + ch) * h * w << 2);
                    long colPlane = ca + (rowBase + (long) img * plane << 2);
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * sh - ph + ky * dh;
                        long dst = colPlane + ((long) oy * ow << 2);
                        if (iy < 0 || iy >= h || oxLo == oxHi) {
                            U.setMemory(dst, (long) ow << 2, (byte) 0);
                            continue;
                        }
                        if (oxLo > 0) {
                            U.setMemory(dst, (long) oxLo << 2, (byte) 0);
                        }
                        long src = xPlane + ((long) iy * w + oxLo * sw + shift << 2);
                        if (sw == 1) {
                            U.copyMemory(src, dst + ((long) oxLo << 2), (long) (oxHi - oxLo) << 2);
                        } else {
                            for (int ox = oxLo; ox < oxHi; ox++) {
                                U.putFloat(dst + ((long) ox << 2), U.getFloat(src + ((long) (ox - oxLo) * sw << 2)));
                            }
                        }
                        if (oxHi < ow) {
                            U.setMemory(dst + ((long) oxHi << 2), (long) (ow - oxHi) << 2, (byte) 0);
                        }
                    }
                }
            }
        });
    }

    /** {@link ConvKernels#channelsFirst} on FLOAT buffers. */
    static void channelsFirst(Buf in, Buf out, int n, int c, int s) {
        long ia = in.address;
        long oa = out.address;
        long rowBytes = (long) s << 2;
        Parallel.forRange(c, (long) n * s, (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                for (int i = 0; i < n; i++) {
                    U.copyMemory(ia + (long) (i * c + ch) * rowBytes, oa + (long) (ch * n + i) * rowBytes, rowBytes);
                }
            }
        });
    }

    /** {@link ConvKernels#scatterStrided} on FLOAT buffers. */
    static void scatterStrided(Buf d, Buf dx, int n, int c, int h, int w, int oh, int ow, int sh, int sw) {
        long da = d.address;
        long xa = dx.address;
        Parallel.forRange(n * c, (long) h * w, (from, to) -> {
            for (int row = from; row < to; row++) {
                int img = row / c;
                int ch = row % c;
                long base = xa + ((long) row * h * w << 2);
                U.setMemory(base, (long) h * w << 2, (byte) 0);
                long src = da + ((long) (ch * n + img) * oh * ow << 2);
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        U.putFloat(base + ((long) oy * sh * w + (long) ox * sw << 2),
                                U.getFloat(src + ((long) oy * ow + ox << 2)));
                    }
                }
            }
        });
    }
}
