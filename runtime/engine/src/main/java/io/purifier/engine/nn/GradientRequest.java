package io.purifier.engine.nn;

import java.util.Collection;
import java.util.Set;

/**
 * What a forward pass must be ready to differentiate: a set of parameters and/or the input pixels.
 *
 * @param parameters full array names whose gradients are wanted
 * @param input      whether the gradient with respect to the input pixels is wanted
 */
public record GradientRequest(Set<String> parameters, boolean input) {

    /** No gradients: an inference pass that keeps nothing for a backward pass. */
    public static final GradientRequest NONE = new GradientRequest(Set.of(), false);

    /** Copies the names. */
    public GradientRequest {
        parameters = Set.copyOf(parameters);
    }

    /** The gradients of these parameters. */
    public static GradientRequest parameters(Collection<String> names) {
        return new GradientRequest(Set.copyOf(names), false);
    }

    /** The input gradient only. */
    public static GradientRequest inputOnly() {
        return new GradientRequest(Set.of(), true);
    }

    /** This request plus the input gradient. */
    public GradientRequest withInput() {
        return new GradientRequest(parameters, true);
    }

    /** Whether any gradient is wanted. */
    public boolean any() {
        return input || !parameters.isEmpty();
    }
}
