package io.purifier.engine.train;

import io.purifier.engine.autograd.Tape;
import io.purifier.engine.autograd.Var;

/**
 * A scalar objective computed from a forward pass's outputs (the logits, and any public layer's output) with
 * {@link Tape} operations. Its gradients at those outputs seed the network's backward pass.
 *
 * <p>The tape is closed, and the arrays of its variables freed, once the network has taken those gradients: keep
 * numbers ({@link Var#scalar()}) from inside an objective, never a variable's array.</p>
 */
@FunctionalInterface
public interface Objective {

    /** Builds the loss. */
    Var loss(Tape tape, PassOutputs outputs);

    /** Mean softmax cross-entropy against class labels. */
    static Objective crossEntropy(int[] labels) {
        return (t, o) -> t.crossEntropy(o.logits(), labels);
    }
}
