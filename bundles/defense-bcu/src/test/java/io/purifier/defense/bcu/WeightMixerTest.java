package io.purifier.defense.bcu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightMixerTest {

    private static final int N = 200_000;

    /** Five standard deviations of Binomial(n, p): a false failure has probability below 1e-6. */
    static double binomialTolerance(long n, double p) {
        return 5 * Math.sqrt(n * p * (1 - p)) + 1e-9;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.03, 0.09, 0.10, 0.27, 0.5})
    void replaces_the_expected_share_within_binomial_tolerance(double p) {
        double[] teacher = new double[N];
        double[] fresh = new double[N];
        for (int i = 0; i < N; i++) {
            teacher[i] = i + 0.25;
            fresh[i] = -i - 0.5;
        }
        long replaced = WeightMixer.mix(teacher, fresh, p, new SplittableRandom(42));
        assertTrue(Math.abs(replaced - N * p) <= binomialTolerance(N, p),
                "replaced " + replaced + ", expected " + N * p + " +- " + binomialTolerance(N, p));
        long fromFresh = 0;
        for (int i = 0; i < N; i++) {
            if (teacher[i] == -i - 0.5) {
                fromFresh++;
            } else {
                assertEquals(i + 0.25, teacher[i], "element " + i + " is neither the teacher's nor the fresh value");
            }
        }
        assertEquals(replaced, fromFresh, "the count must equal the elements that took the fresh value");
    }

    @Test
    void probability_zero_keeps_everything_and_one_replaces_everything() {
        double[] teacher = {1, 2, 3};
        assertEquals(0, WeightMixer.mix(teacher, new double[]{7, 8, 9}, 0.0, new SplittableRandom(1)));
        assertArrayEquals(new double[]{1, 2, 3}, teacher);
        assertEquals(3, WeightMixer.mix(teacher, new double[]{7, 8, 9}, 1.0, new SplittableRandom(1)));
        assertArrayEquals(new double[]{7, 8, 9}, teacher);
    }

    @Test
    void the_same_seed_gives_the_same_mask() {
        double[] a = new double[1000];
        double[] b = new double[1000];
        double[] fresh = new double[1000];
        java.util.Arrays.fill(fresh, 1.0);
        WeightMixer.mix(a, fresh, 0.3, new SplittableRandom(5));
        WeightMixer.mix(b, fresh, 0.3, new SplittableRandom(5));
        assertArrayEquals(a, b);
    }

    @Test
    void rejects_mismatched_lengths_and_probabilities_outside_zero_one() {
        assertThrows(IllegalArgumentException.class, () -> WeightMixer.mix(new double[2], new double[3], 0.1, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> WeightMixer.mix(new double[2], new double[2], 1.5, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> WeightMixer.mix(new double[2], new double[2], Double.NaN, new SplittableRandom(1)));
    }
}
