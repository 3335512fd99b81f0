package io.purifier.engine.nn.layers;

import io.purifier.api.InvalidInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NumPy broadcasting of two C-ordered operands, reduced to as few dimensions as possible: shapes are aligned on the
 * right, dimensions of size 1 in the output are dropped, and neighbouring dimensions in which each operand is either
 * present or broadcast alike are merged. The innermost merged dimension is the inner loop, in which each operand
 * advances by 1 (present) or 0 (broadcast); {@link #offsetA}/{@link #offsetB} give each operand's offset for an
 * outer row.
 */
final class Broadcast {

    /** The output shape. */
    final long[] out;
    /** Length of the inner loop. */
    final int inner;
    /** Number of outer rows ({@code output length / inner}). */
    final int rows;
    /** Inner step of operand a (1 or 0). */
    final int stepA;
    /** Inner step of operand b (1 or 0). */
    final int stepB;
    private final int[] outerDims;
    private final long[] outerStrideA;
    private final long[] outerStrideB;

    Broadcast(long[] a, long[] b) {
        out = shape(a, b);
        int rank = out.length;
        List<int[]> merged = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (out[d] == 1) {
                continue;
            }
            int presentA = dim(a, d, rank) == out[d] ? 1 : 0;
            int presentB = dim(b, d, rank) == out[d] ? 1 : 0;
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last[1] == presentA && last[2] == presentB) {
                last[0] = Math.multiplyExact(last[0], (int) out[d]);
            } else {
                merged.add(new int[]{(int) out[d], presentA, presentB});
            }
        }
        if (merged.isEmpty()) {
            merged.add(new int[]{1, 1, 1});
        }
        int k = merged.size();
        int[] innerDim = merged.get(k - 1);
        inner = innerDim[0];
        stepA = innerDim[1];
        stepB = innerDim[2];
        outerDims = new int[k - 1];
        outerStrideA = new long[k - 1];
        outerStrideB = new long[k - 1];
        long sa = stepA == 1 ? inner : 1;
        long sb = stepB == 1 ? inner : 1;
        for (int j = k - 2; j >= 0; j--) {
            int[] m = merged.get(j);
            outerDims[j] = m[0];
            outerStrideA[j] = m[1] == 1 ? sa : 0;
            outerStrideB[j] = m[2] == 1 ? sb : 0;
            sa *= m[1] == 1 ? m[0] : 1;
            sb *= m[2] == 1 ? m[0] : 1;
        }
        long r = 1;
        for (int d : outerDims) {
            r *= d;
        }
        rows = Math.toIntExact(r);
    }

    /** Offset of operand a's first element of outer row {@code row}. */
    int offsetA(int row) {
        return offset(row, outerStrideA);
    }

    /** Offset of operand b's first element of outer row {@code row}. */
    int offsetB(int row) {
        return offset(row, outerStrideB);
    }

    private int offset(int row, long[] strides) {
        long off = 0;
        int r = row;
        for (int j = outerDims.length - 1; j >= 0; j--) {
            off += (r % outerDims[j]) * strides[j];
            r /= outerDims[j];
        }
        return (int) off;
    }

    /**
     * The broadcast shape of {@code a} and {@code b}.
     *
     * @throws InvalidInputException naming both shapes when they do not broadcast
     */
    static long[] shape(long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int d = 0; d < rank; d++) {
            long x = dim(a, d, rank);
            long y = dim(b, d, rank);
            if (x != y && x != 1 && y != 1) {
                throw new InvalidInputException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[d] = Math.max(x, y);
        }
        return out;
    }

    private static long dim(long[] s, int d, int rank) {
        int i = d - (rank - s.length);
        return i < 0 ? 1 : s[i];
    }
}
