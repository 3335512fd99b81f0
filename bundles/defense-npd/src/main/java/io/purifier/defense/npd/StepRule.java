package io.purifier.defense.npd;

import java.util.List;

/** How one step of NPD's inner attack moves the perturbation. */
enum StepRule {
    /** {@code delta -= stepSize * sign(grad)} (BackdoorBench for CIFAR-10, GTSRB and the L-infinity option). */
    SIGN("sign"),
    /** {@code delta -= stepSize * grad}, grad of the batch-mean loss (BackdoorBench for Tiny-ImageNet). */
    GRADIENT("gradient");

    static final List<String> CHOICES = List.of("sign", "gradient");
    private final String id;

    StepRule(String id) {
        this.id = id;
    }

    /** The parameter value. */
    String id() {
        return id;
    }

    static StepRule fromId(String id) {
        return id.equals("gradient") ? GRADIENT : SIGN;
    }
}
