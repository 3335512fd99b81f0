package io.purifier.engine.autograd;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A value recorded on a {@link Tape}: an array, whether gradients flow to it, and (after
 * {@link Tape#backward(Var)}) its gradient. Operations are methods of the tape and of this class.
 */
public final class Var {

    private final Tape tape;
    private final INDArray value;
    private final boolean requiresGrad;
    final Tape.Backward backward;
    INDArray grad;

    Var(Tape tape, INDArray value, boolean requiresGrad, Tape.Backward backward) {
        this.tape = tape;
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.backward = backward;
    }

    /**
     * The value.
     *
     * @throws IllegalStateException once the tape is closed (read what you need inside the objective)
     */
    public INDArray value() {
        checkOpen();
        return value;
    }

    /** Whether gradients flow to this value. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The gradient of the last {@link Tape#backward} with respect to this value, or null. */
    public INDArray grad() {
        return grad;
    }

    /**
     * The value of a one-element variable.
     *
     * @throws IllegalStateException once the tape is closed (read what you need inside the objective)
     */
    public double scalar() {
        checkOpen();
        if (value.length() != 1) {
            throw new IllegalStateException("not a scalar: shape " + java.util.Arrays.toString(value.shape()));
        }
        return value.getDouble(0);
    }

    private void checkOpen() {
        if (tape.isClosed()) {
            throw new IllegalStateException("this value's tape was closed and its arrays freed (a LossPass closes its "
                    + "tape when it returns): read what you need inside the objective, for example with scalar()");
        }
    }

    /** The shape. */
    public long[] shape() {
        return value.shape();
    }

    /** The tape this value is on. */
    public Tape tape() {
        return tape;
    }

    /** {@code this + o} (broadcasting). */
    public Var add(Var o) {
        return tape.add(this, o);
    }

    /** {@code this - o} (broadcasting). */
    public Var sub(Var o) {
        return tape.sub(this, o);
    }

    /** {@code this * o} (broadcasting). */
    public Var mul(Var o) {
        return tape.mul(this, o);
    }

    /** {@code this / o} (broadcasting). */
    public Var div(Var o) {
        return tape.div(this, o);
    }

    /** {@code this * c}. */
    public Var mul(double c) {
        return tape.scale(this, c);
    }

    /** {@code this + c}. */
    public Var add(double c) {
        return tape.shift(this, c);
    }

    /** {@code -this}. */
    public Var neg() {
        return tape.scale(this, -1);
    }

    /** Sum of every element (a scalar). */
    public Var sum() {
        return tape.sum(this);
    }

    /** Mean of every element (a scalar). */
    public Var mean() {
        return tape.mean(this);
    }

    /** Sum over {@code dims}, keeping them as size-1 dimensions. */
    public Var sum(int... dims) {
        return tape.sum(this, dims);
    }

    /** Mean over {@code dims}, keeping them as size-1 dimensions. */
    public Var mean(int... dims) {
        return tape.mean(this, dims);
    }
}
