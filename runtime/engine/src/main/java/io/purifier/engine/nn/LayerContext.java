package io.purifier.engine.nn;

import io.purifier.engine.model.BnMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What a {@link Layer} sees of the pass it runs in, for one node. */
public interface LayerContext {

    /** The node's name (its arrays are {@code name + "/" + suffix}). */
    String node();

    /** The pass's batch-norm mode. */
    BnMode mode();

    /** The model's floating-point type. */
    DataType dataType();

    /** This node's array {@code suffix}. */
    INDArray array(String suffix);

    /** A dense array owned by the pass (released when the pass closes). */
    INDArray take(long... shape);

    /** A temporary dense array; give it back with {@link #release} as soon as it is no longer needed. */
    INDArray scratch(long... shape);

    /** Returns a {@link #scratch} array. */
    void release(INDArray scratch);

    /** Keeps state for the backward pass of this node. */
    void save(Object state);

    /** The state kept by {@link #save} in the forward pass. */
    Object saved();

    /** Whether training-mode batch norms of this pass update their running statistics. */
    boolean updatesRunningStatistics();

    /** Whether the gradient of this node's array {@code suffix} was requested. */
    boolean wantsGradient(String suffix);

    /** Hands the gradient of array {@code suffix} (an array from {@link #take}) to the pass's result. */
    void parameterGradient(String suffix, INDArray gradient);

    /** Whether input {@code index} of this node needs a gradient. */
    boolean needsInputGradient(int index);
}
