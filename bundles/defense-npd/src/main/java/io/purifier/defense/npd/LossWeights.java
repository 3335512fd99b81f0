package io.purifier.defense.npd;

/**
 * The weights of NPD's four loss terms (BackdoorBench {@code lmd1..lmd4}).
 *
 * @param l1 clean cross-entropy
 * @param l2 cross-entropy of perturbed images against the clean prediction
 * @param l3 -log(1.0001 - p) of the most probable wrong class on perturbed images
 * @param l4 -log(1.0001 - p) of the estimated target on perturbed images
 */
record LossWeights(double l1, double l2, double l3, double l4) {

    /** BackdoorBench's CIFAR-10 weights 1.0 / 0.4 / 0.4 / 0.4. */
    static LossWeights reference() {
        return new LossWeights(1.0, 0.4, 0.4, 0.4);
    }

    /** {@code l1*a + l2*b + l3*c + l4*d}. */
    double combine(double a, double b, double c, double d) {
        return l1 * a + l2 * b + l3 * c + l4 * d;
    }
}
