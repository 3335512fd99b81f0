package io.purifier.format.onnx.importer;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * Operations on constant tensors, evaluated at import time (shape arithmetic such as
 * {@code Shape → Gather → Unsqueeze → Concat → Reshape}, the pads of {@code F.pad}, constants combined with each
 * other). Tensors are small; clarity wins over speed. {@link ConstValue#BATCH} (NaN) passes through unchanged.
 */
final class ConstOps {

    private ConstOps() {
    }

    static long[] strides(long[] dims) {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= dims[d];
        }
        return s;
    }

    /** Element-wise {@code op} with NumPy broadcasting. */
    static ConstValue broadcast(ConstValue a, ConstValue b, DoubleBinaryOperator op, boolean integer) {
        long[] ad = a.dims();
        long[] bd = b.dims();
        int rank = Math.max(ad.length, bd.length);
        long[] out = new long[rank];
        for (int d = 0; d < rank; d++) {
            long x = dim(ad, d, rank);
            long y = dim(bd, d, rank);
            if (x != y && x != 1 && y != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(ad) + " and " + Arrays.toString(bd)
                        + " do not broadcast");
            }
            out[d] = Math.max(x, y);
        }
        long[] os = strides(out);
        long[] as = strides(ad);
        long[] bs = strides(bd);
        int n = (int) volume(out);
        double[] av = a.values();
        double[] bv = b.values();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            long ia = 0;
            long ib = 0;
            for (int d = 0; d < rank; d++) {
                long k = (i / os[d]) % out[d];
                int da = d - (rank - ad.length);
                int db = d - (rank - bd.length);
                if (da >= 0 && ad[da] != 1) {
                    ia += k * as[da];
                }
                if (db >= 0 && bd[db] != 1) {
                    ib += k * bs[db];
                }
            }
            v[i] = op.applyAsDouble(av[(int) ia], bv[(int) ib]);
        }
        return ConstValue.of(out, v, integer);
    }

    private static long dim(long[] s, int d, int rank) {
        int i = d - (rank - s.length);
        return i < 0 ? 1 : s[i];
    }

    static long volume(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** The same values with new dimensions. */
    static ConstValue reshape(ConstValue c, long[] dims) {
        if (volume(dims) != c.size()) {
            throw new IllegalArgumentException("cannot reshape a constant of shape " + c.describe() + " to "
                    + Arrays.toString(dims));
        }
        return ConstValue.of(dims, c.values(), c.integer());
    }

    /** ONNX Reshape's target for a fully known input shape: 0 copies a dimension, -1 is inferred. */
    static long[] reshapeTarget(long[] input, long[] target, boolean allowZero) {
        long[] out = target.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                if (i >= input.length) {
                    throw new IllegalArgumentException("reshape target " + Arrays.toString(target)
                            + " copies dimension " + i + ", which the input " + Arrays.toString(input) + " lacks");
                }
                out[i] = input[i];
            }
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape target " + Arrays.toString(target) + " has two -1");
                }
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("reshape target " + Arrays.toString(target) + " has a negative size");
            } else {
                known *= out[i];
            }
        }
        long total = volume(input);
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + Arrays.toString(input) + " to "
                        + Arrays.toString(target));
            }
            out[infer] = total / known;
        } else if (known != total) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(input) + " to " + Arrays.toString(target));
        }
        return out;
    }

    /** Joins constants along {@code axis}. */
    static ConstValue concat(List<ConstValue> parts, int axis) {
        long[] out = parts.get(0).dims();
        for (int i = 1; i < parts.size(); i++) {
            long[] d = parts.get(i).dims();
            if (d.length != out.length) {
                throw new IllegalArgumentException("cannot concatenate shapes of different ranks");
            }
            out[axis] += d[axis];
        }
        double[] v = new double[(int) volume(out)];
        long outer = volume(Arrays.copyOfRange(out, 0, axis));
        long offset = 0;
        for (ConstValue p : parts) {
            long block = volume(Arrays.copyOfRange(p.dims(), axis, p.rank()));
            long rowLength = volume(Arrays.copyOfRange(out, axis, out.length));
            double[] pv = p.values();
            for (long r = 0; r < outer; r++) {
                System.arraycopy(pv, (int) (r * block), v, (int) (r * rowLength + offset), (int) block);
            }
            offset += block;
        }
        boolean integer = parts.stream().allMatch(ConstValue::integer);
        return ConstValue.of(out, v, integer);
    }

    /** {@code data} indexed by {@code indices} along {@code axis} (ONNX Gather). */
    static ConstValue gather(ConstValue data, ConstValue indices, int axis) {
        long[] dd = data.dims();
        long[] id = indices.dims();
        long[] idx = indices.longs("Gather indices");
        long[] out = new long[dd.length - 1 + id.length];
        System.arraycopy(dd, 0, out, 0, axis);
        System.arraycopy(id, 0, out, axis, id.length);
        System.arraycopy(dd, axis + 1, out, axis + id.length, dd.length - axis - 1);
        long outer = volume(Arrays.copyOfRange(dd, 0, axis));
        long inner = volume(Arrays.copyOfRange(dd, axis + 1, dd.length));
        double[] dv = data.values();
        double[] v = new double[(int) volume(out)];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (long i : idx) {
                long j = i < 0 ? i + dd[axis] : i;
                if (j < 0 || j >= dd[axis]) {
                    throw new IllegalArgumentException("Gather index " + i + " is outside a dimension of size " + dd[axis]);
                }
                for (long e = 0; e < inner; e++) {
                    v[k++] = dv[(int) ((o * dd[axis] + j) * inner + e)];
                }
            }
        }
        return ConstValue.of(out, v, data.integer());
    }

    /** ONNX Slice on a constant. */
    static ConstValue slice(ConstValue data, long[] starts, long[] ends, long[] axes, long[] steps) {
        long[] dd = data.dims();
        int rank = dd.length;
        long[] from = new long[rank];
        long[] step = new long[rank];
        long[] count = dd.clone();
        Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int a = (int) (axes[i] < 0 ? axes[i] + rank : axes[i]);
            long s = steps[i];
            if (s == 0) {
                throw new IllegalArgumentException("Slice step 0");
            }
            long dim = dd[a];
            long st = clampIndex(starts[i], dim, s > 0);
            long en = clampIndex(ends[i], dim, s > 0);
            from[a] = st;
            step[a] = s;
            count[a] = s > 0 ? Math.max(0, (en - st + s - 1) / s) : Math.max(0, (st - en - s - 1) / -s);
        }
        long[] ds = strides(dd);
        long[] cs = strides(count);
        double[] dv = data.values();
        double[] v = new double[(int) volume(count)];
        for (int i = 0; i < v.length; i++) {
            long src = 0;
            for (int d = 0; d < rank; d++) {
                long k = (i / cs[d]) % count[d];
                src += (from[d] + k * step[d]) * ds[d];
            }
            v[i] = dv[(int) src];
        }
        return ConstValue.of(count, v, data.integer());
    }

    private static long clampIndex(long i, long dim, boolean forward) {
        long j = i < 0 ? i + dim : i;
        return forward ? Math.max(0, Math.min(dim, j)) : Math.max(-1, Math.min(dim - 1, j));
    }

    /** ONNX Transpose on a constant. */
    static ConstValue transpose(ConstValue data, long[] perm) {
        long[] dd = data.dims();
        int rank = dd.length;
        long[] out = new long[rank];
        for (int d = 0; d < rank; d++) {
            out[d] = dd[(int) perm[d]];
        }
        long[] ds = strides(dd);
        long[] os = strides(out);
        double[] dv = data.values();
        double[] v = new double[dv.length];
        for (int i = 0; i < v.length; i++) {
            long src = 0;
            for (int d = 0; d < rank; d++) {
                src += ((i / os[d]) % out[d]) * ds[(int) perm[d]];
            }
            v[i] = dv[(int) src];
        }
        return ConstValue.of(out, v, data.integer());
    }
}
