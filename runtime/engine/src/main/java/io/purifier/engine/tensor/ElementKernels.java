package io.purifier.engine.tensor;

/**
 * Element-wise kernels (activations and their gradients, sums), parallel over contiguous chunks. FLOAT data takes
 * the {@code float*} paths below: the same arithmetic on raw addresses ({@link FloatKernels}), bit-identical and
 * faster.
 */
public final class ElementKernels {

    private static final int CHUNK = 16_384;

    private ElementKernels() {
    }

    /** A loop body over elements {@code [from, to)}. */
    @FunctionalInterface
    private interface Body {
        void run(int from, int to);
    }

    private static void chunked(int n, Body body) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, CHUNK, (a, b) -> body.run(a * CHUNK, Math.min(n, b * CHUNK)));
    }

    /** {@code y = max(x, 0)} ({@code y} may be {@code x}). */
    public static void relu(Buf x, Buf y) {
        chunked(x.length(), (from, to) -> {
            for (int i = from; i < to; i++) {
                y.set(i, Math.max(x.get(i), 0));
            }
        });
    }

    /**
     * {@code gx = g} where {@code y > 0}, else 0 ({@code y} is the ReLU's output, so never negative; {@code gx} may
     * be {@code g}). Branch-free: the mask is the sign bit of {@code -bits(y)}.
     */
    public static void reluBackward(Buf y, Buf g, Buf gx) {
        if (FloatKernels.all(y, g, gx)) {
            floatReluBackward(y, g, gx);
            return;
        }
        reluBackwardGeneric(y, g, gx);
    }

    /** The generic path of {@link #reluBackward} (any {@link Buf}; what the FLOAT path must equal bit for bit). */
    static void reluBackwardGeneric(Buf y, Buf g, Buf gx) {
        chunked(y.length(), (from, to) -> {
            for (int i = from; i < to; i++) {
                long bits = Double.doubleToRawLongBits(y.get(i));
                gx.set(i, g.get(i) * ((-bits) >>> 63));
            }
        });
    }

    /** {@code out = a + b} ({@code out} may be {@code a} or {@code b}). */
    public static void add(Buf a, Buf b, Buf out) {
        if (FloatKernels.all(a, b, out)) {
            floatAdd(a, b, out);
            return;
        }
        addGeneric(a, b, out);
    }

    /** The generic path of {@link #add} (any {@link Buf}; what the FLOAT path must equal bit for bit). */
    static void addGeneric(Buf a, Buf b, Buf out) {
        chunked(a.length(), (from, to) -> {
            for (int i = from; i < to; i++) {
                out.set(i, a.get(i) + b.get(i));
            }
        });
    }

    /** {@code out = a} (element copy between buffers of possibly different types). */
    public static void copy(Buf a, Buf out) {
        if (FloatKernels.all(a, out)) {
            floatCopy(a, out);
            return;
        }
        copyGeneric(a, out);
    }

    /** The generic path of {@link #copy} (any {@link Buf}; what the FLOAT path must equal bit for bit). */
    static void copyGeneric(Buf a, Buf out) {
        chunked(a.length(), (from, to) -> {
            for (int i = from; i < to; i++) {
                out.set(i, a.get(i));
            }
        });
    }

    /** {@code y[i, j] += b[j]} for a row-major {@code [rows, cols]} matrix. */
    public static void addRowVector(Buf y, int rows, int cols, double[] b) {
        Parallel.forRange(rows, cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                int off = r * cols;
                for (int j = 0; j < cols; j++) {
                    y.set(off + j, y.get(off + j) + b[j]);
                }
            }
        });
    }

    /** Column sums of a row-major {@code [rows, cols]} matrix. */
    public static double[] columnSums(Buf g, int rows, int cols) {
        double[] out = new double[cols];
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            for (int j = 0; j < cols; j++) {
                out[j] += g.get(off + j);
            }
        }
        return out;
    }

    /** The FLOAT path of {@link #reluBackward}: {@code g} where the output's bits are positive, else {@code g * 0}. */
    private static void floatReluBackward(Buf y, Buf g, Buf gx) {
        long ya = y.address;
        long ga = g.address;
        long oa = gx.address;
        chunked(y.length(), (from, to) -> {
            for (long i = from; i < to; i++) {
                int bits = Float.floatToRawIntBits(FloatKernels.at(ya, i));
                FloatKernels.put(oa, i, FloatKernels.at(ga, i) * ((-bits) >>> 31));
            }
        });
    }

    /** The FLOAT path of {@link #add}. */
    private static void floatAdd(Buf a, Buf b, Buf out) {
        long aa = a.address;
        long ba = b.address;
        long oa = out.address;
        chunked(a.length(), (from, to) -> {
            for (long i = from; i < to; i++) {
                FloatKernels.put(oa, i, (float) ((double) FloatKernels.at(aa, i) + FloatKernels.at(ba, i)));
            }
        });
    }

    /** The FLOAT path of {@link #copy}. */
    private static void floatCopy(Buf a, Buf out) {
        Buf.UNSAFE.copyMemory(a.address, out.address, (long) a.length() << 2);
    }
}
