package io.purifier.engine.nn;

import io.purifier.engine.tensor.BufferPool;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of a backward pass: the requested parameter gradients by full name and the input gradient. The
 * arrays come from the model's buffer pool and stay valid until {@link #close()}; use {@link INDArray#dup()} to keep
 * one longer.
 */
public final class Gradients implements AutoCloseable {

    private final Map<String, INDArray> parameters = new LinkedHashMap<>();
    private final BufferPool pool;
    private INDArray input;
    private boolean closed;

    Gradients(BufferPool pool) {
        this.pool = pool;
    }

    void putParameter(String name, INDArray g) {
        INDArray old = parameters.put(name, g);
        if (old != null) {
            throw new IllegalStateException("two gradients for '" + name + "'");
        }
    }

    void setInput(INDArray g) {
        input = g;
    }

    /** Gradient by parameter name (only the requested ones that the loss depends on). */
    public Map<String, INDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** The gradient of one parameter, or null when the loss does not depend on it. */
    public INDArray parameter(String name) {
        return parameters.get(name);
    }

    /** The gradient with respect to the input pixels, or null when it was not requested. */
    public INDArray input() {
        return input;
    }

    /** Returns the arrays to the pool. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        parameters.values().forEach(pool::release);
        if (input != null) {
            pool.release(input);
        }
    }
}
