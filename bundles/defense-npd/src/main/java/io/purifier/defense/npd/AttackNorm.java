package io.purifier.defense.npd;

import java.util.List;

/** The threat model of NPD's inner targeted attack. */
enum AttackNorm {
    /** Per-image L2 ball: a step is followed by rescaling onto the ball. */
    L2("L2"),
    /** Per-pixel box: a step is followed by clamping to [-radius, radius]. */
    LINF("Linf");

    static final List<String> CHOICES = List.of("L2", "Linf");
    private final String id;

    AttackNorm(String id) {
        this.id = id;
    }

    /** The parameter value. */
    String id() {
        return id;
    }

    static AttackNorm fromId(String id) {
        return id.equals("Linf") ? LINF : L2;
    }
}
