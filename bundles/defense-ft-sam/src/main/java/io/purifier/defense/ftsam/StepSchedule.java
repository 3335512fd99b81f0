package io.purifier.defense.ftsam;

import java.util.List;

/**
 * FT-SAM's learning rate and SAM radius per optimisation step. BackdoorBench steps its
 * {@code CosineAnnealingLR(T_max=100)} after every <em>batch</em>, so by default the rate follows
 * {@code lr0 (1 + cos(pi t / T)) / 2} over the global step t and, past T, rises again (PyTorch's closed form is
 * periodic); the radius follows the rate proportionally ({@code ProportionScheduler} with min lr 0):
 * {@code rho_t = rhoMin + (rhoMax - rhoMin) lr_t / lr0}.
 *
 * @param kind        how the rate moves
 * @param initial     lr0
 * @param cosineSteps T of {@link Kind#COSINE_STEPS}
 * @param epochs      the run's epochs (the span of {@link Kind#COSINE_EPOCHS})
 * @param rhoMin      radius at rate 0
 * @param rhoMax      radius at rate lr0
 */
record StepSchedule(Kind kind, double initial, int cosineSteps, int epochs, double rhoMin, double rhoMax) {

    /** The schedules. */
    enum Kind {
        /** Cosine over global steps with period 2T (BackdoorBench). */
        COSINE_STEPS("cosine-steps"),
        /** Cosine per epoch, from lr0 to 0 after the last epoch. */
        COSINE_EPOCHS("cosine-epochs"),
        /** lr0 throughout. */
        CONSTANT("constant");

        /** The parameter values. */
        static final List<String> CHOICES = List.of("cosine-steps", "cosine-epochs", "constant");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }

        static Kind fromId(String id) {
            for (Kind k : values()) {
                if (k.id.equals(id)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown schedule '" + id + "' (one of " + CHOICES + ")");
        }
    }

    /** The learning rate of global step {@code step} (0-based) in epoch {@code epoch} (0-based). */
    double learningRate(int epoch, long step) {
        return switch (kind) {
            case COSINE_STEPS -> initial * 0.5 * (1 + Math.cos(Math.PI * step / cosineSteps));
            case COSINE_EPOCHS -> initial * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs));
            case CONSTANT -> initial;
        };
    }

    /** The SAM radius at learning rate {@code lr}. */
    double rho(double lr) {
        return rhoMin + (rhoMax - rhoMin) * lr / initial;
    }
}
