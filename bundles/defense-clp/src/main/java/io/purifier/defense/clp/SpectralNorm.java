package io.purifier.defense.clp;

/**
 * The largest singular value of a small dense matrix: the square root of the largest eigenvalue of its Gram matrix
 * on the smaller side ({@code AᵀA} or {@code AAᵀ}), found by cyclic Jacobi rotations in double precision. For a
 * convolution channel the matrix is {@code [inChannels, kH*kW]}, so the Gram matrix is at most {@code kH*kW} wide.
 */
final class SpectralNorm {

    private static final int MAX_SWEEPS = 100;

    private SpectralNorm() {
    }

    /**
     * {@code sigma_max(a)}.
     *
     * @param a rows of equal length (at least one row and one column)
     */
    static double largestSingularValue(double[][] a) {
        int rows = a.length;
        int cols = a[0].length;
        boolean columns = cols <= rows;
        int n = columns ? cols : rows;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                if (columns) {
                    for (double[] row : a) {
                        s += row[i] * row[j];
                    }
                } else {
                    for (int k = 0; k < cols; k++) {
                        s += a[i][k] * a[j][k];
                    }
                }
                g[i][j] = s;
                g[j][i] = s;
            }
        }
        return Math.sqrt(Math.max(0, largestEigenvalue(g)));
    }

    /** The largest eigenvalue of a symmetric matrix (cyclic Jacobi; the matrix is overwritten). */
    static double largestEigenvalue(double[][] s) {
        int n = s.length;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += s[i][j] * s[i][j];
                    if (i != j) {
                        off += s[i][j] * s[i][j];
                    }
                }
            }
            if (off <= 1e-30 * Math.max(total, Double.MIN_NORMAL)) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (s[p][q] != 0) {
                        rotate(s, p, q);
                    }
                }
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, s[i][i]);
        }
        return max;
    }

    /** One Jacobi rotation that zeroes {@code s[p][q]}. */
    private static void rotate(double[][] s, int p, int q) {
        double theta = (s[q][q] - s[p][p]) / (2 * s[p][q]);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double sn = t * c;
        int n = s.length;
        for (int k = 0; k < n; k++) {
            double skp = s[k][p];
            double skq = s[k][q];
            s[k][p] = c * skp - sn * skq;
            s[k][q] = sn * skp + c * skq;
        }
        for (int k = 0; k < n; k++) {
            double spk = s[p][k];
            double sqk = s[q][k];
            s[p][k] = c * spk - sn * sqk;
            s[q][k] = sn * spk + c * sqk;
        }
    }
}
