package io.purifier.defense.wiper;

import io.purifier.api.param.InvalidParametersException;
import io.purifier.api.param.ParamProblem;

import java.util.Arrays;
import java.util.List;

/**
 * Which form of the adaptive regularization (AR) penalty is applied to the purifying layers.
 *
 * <ul>
 *   <li>{@link #REFERENCE}: what the authors' code (fmy266/wiper, {@code defense_based_sm.py}) computes, quirks
 *       included: every element pays at least {@code alpha * |w|} (the mask leaks), selected elements with
 *       {@code w > 1} pay {@code alpha * e^(w - 1)}, selected elements with {@code w < -1} "pay"
 *       {@code -alpha * e^(-w - 1)} (a negative value whose gradient pushes them further negative).</li>
 *   <li>{@link #CORRECTED}: the symmetric penalty {@code alpha * |w|} for {@code |w| <= 1} and
 *       {@code alpha * e^(|w| - 1)} above, on the selected elements only.</li>
 * </ul>
 */
enum PenaltyVariant {

    /** The reference code's arithmetic. */
    REFERENCE("reference"),
    /** Symmetric penalty on the selected elements only. */
    CORRECTED("corrected");

    /** The ids, in display order. */
    static final List<String> CHOICES = Arrays.stream(values()).map(v -> v.id).toList();

    private final String id;

    PenaltyVariant(String id) {
        this.id = id;
    }

    /** The parameter value. */
    String id() {
        return id;
    }

    /**
     * The variant with {@code id}.
     *
     * @throws InvalidParametersException naming {@code variant} when unknown
     */
    static PenaltyVariant fromId(String id) {
        for (PenaltyVariant v : values()) {
            if (v.id.equals(id)) {
                return v;
            }
        }
        throw new InvalidParametersException(List.of(new ParamProblem("variant", id, "must be one of " + CHOICES)));
    }
}
