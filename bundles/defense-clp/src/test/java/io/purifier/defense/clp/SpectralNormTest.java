package io.purifier.defense.clp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpectralNormTest {

    @Test
    void vectors_have_their_euclidean_length() {
        assertEquals(5, SpectralNorm.largestSingularValue(new double[][]{{3}, {4}}), 1e-12);
        assertEquals(5, SpectralNorm.largestSingularValue(new double[][]{{3, 4}}), 1e-12);
    }

    @Test
    void matches_hand_computed_singular_values() {
        // [[3, 0], [4, 5]]: A^T A = [[25, 20], [20, 25]], eigenvalues 45 and 5
        assertEquals(Math.sqrt(45), SpectralNorm.largestSingularValue(new double[][]{{3, 0}, {4, 5}}), 1e-12);
        // rank one [[1, 1], [1, 1]] = 2 u v^T
        assertEquals(2, SpectralNorm.largestSingularValue(new double[][]{{1, 1}, {1, 1}}), 1e-12);
        // a signed diagonal: the largest absolute entry
        assertEquals(7, SpectralNorm.largestSingularValue(new double[][]{{2, 0, 0}, {0, -7, 0}, {0, 0, 1}}), 1e-12);
        // a tall matrix with orthogonal columns of lengths 2 and 3
        assertEquals(3, SpectralNorm.largestSingularValue(new double[][]{{2, 0}, {0, 3}, {0, 0}}), 1e-12);
    }

    @Test
    void equal_diagonal_entries_still_rotate_to_the_eigenvalues() {
        assertEquals(3, SpectralNorm.largestEigenvalue(new double[][]{{1, 2}, {2, 1}}), 1e-12);
    }

    @Test
    void agrees_with_power_iteration_on_a_convolution_sized_matrix() {
        Random rng = new Random(4);
        double[][] a = new double[16][9];
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        assertEquals(powerIteration(a), SpectralNorm.largestSingularValue(a), 1e-9);
    }

    /** sigma_max by 2000 power iterations on A^T A (an independent method). */
    private static double powerIteration(double[][] a) {
        int n = a[0].length;
        double[] v = new double[n];
        Arrays.fill(v, 1);
        double lambda = 0;
        for (int it = 0; it < 2000; it++) {
            double[] av = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < n; j++) {
                    av[i] += a[i][j] * v[j];
                }
            }
            double[] w = new double[n];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < a.length; i++) {
                    w[j] += a[i][j] * av[i];
                }
            }
            double norm = 0;
            for (double x : w) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            lambda = norm;
            for (int j = 0; j < n; j++) {
                v[j] = w[j] / norm;
            }
        }
        return Math.sqrt(lambda);
    }
}
