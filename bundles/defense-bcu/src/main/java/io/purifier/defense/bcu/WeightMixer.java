package io.purifier.defense.bcu;

import java.util.SplittableRandom;

/**
 * BCU's element-wise mix of teacher and fresh weights: each element is replaced by its freshly initialised value
 * with probability {@code p} (an independent Bernoulli draw per element), otherwise it keeps the teacher's value.
 * There is no rescaling (the reference code's 1/(1-p) variant is commented out).
 */
final class WeightMixer {

    private WeightMixer() {
    }

    /**
     * Mixes in place.
     *
     * @param teacher the teacher's values; replaced elements are overwritten with {@code fresh}'s
     * @param fresh   the fresh values, same length
     * @param p       replacement probability in [0, 1]
     * @param rng     the random source (one draw per element, in order)
     * @return how many elements were replaced
     */
    static long mix(double[] teacher, double[] fresh, double p, SplittableRandom rng) {
        if (teacher.length != fresh.length) {
            throw new IllegalArgumentException("teacher has " + teacher.length + " values but fresh has " + fresh.length);
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("replacement probability must be in [0, 1], got " + p);
        }
        long replaced = 0;
        for (int i = 0; i < teacher.length; i++) {
            if (rng.nextDouble() < p) {
                teacher[i] = fresh[i];
                replaced++;
            }
        }
        return replaced;
    }
}
