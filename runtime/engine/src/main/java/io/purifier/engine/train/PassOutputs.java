package io.purifier.engine.train;

import io.purifier.engine.autograd.Tape;
import io.purifier.engine.autograd.Var;
import io.purifier.engine.nn.ForwardPass;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outputs of a forward pass as {@link Var}s on a tape, created on first use; after {@link Tape#backward} their
 * gradients become the seeds of the network's backward pass.
 */
public final class PassOutputs {

    private final ForwardPass pass;
    private final Tape tape;
    private final Map<String, Var> leaves = new LinkedHashMap<>();

    PassOutputs(ForwardPass pass, Tape tape) {
        this.pass = pass;
        this.tape = tape;
    }

    /**
     * Outputs that are just the given logits, without a network: evaluates an {@link Objective} on logits computed
     * elsewhere (tests, reporting). {@link #layer} is not available.
     */
    public static PassOutputs of(Var logits) {
        PassOutputs out = new PassOutputs(null, logits.tape());
        out.leaves.put(ForwardPass.LOGITS, logits);
        return out;
    }

    /** The logits {@code [N, K]}. */
    public Var logits() {
        return leaves.computeIfAbsent(ForwardPass.LOGITS, k -> tape.leaf(pass.logits()));
    }

    /**
     * The output of a public layer.
     *
     * @throws IllegalStateException for outputs made by {@link #of(Var)}, which have no network
     */
    public Var layer(String name) {
        if (pass == null) {
            throw new IllegalStateException("these outputs hold logits only, no layer '" + name + "'");
        }
        return leaves.computeIfAbsent(name, k -> tape.leaf(pass.output(name)));
    }

    /** The gradients of the used outputs after {@link Tape#backward}, keyed as {@link ForwardPass#backward(Map)} wants. */
    Map<String, INDArray> seeds() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        leaves.forEach((k, v) -> {
            if (v.grad() != null) {
                out.put(k, v.grad());
            }
        });
        return out;
    }
}
