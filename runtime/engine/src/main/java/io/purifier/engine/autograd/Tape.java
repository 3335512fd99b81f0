package io.purifier.engine.autograd;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reverse-mode differentiation for objectives: records operations on {@link Var}s and back-propagates a scalar
 * through them. Meant for what a defense computes <em>on</em> a network's outputs (losses on logits, attention
 * maps of a layer): the network itself is differentiated by the engine's layers, which take the gradients this tape
 * computes at the logits and layer outputs as their seeds.
 *
 * <p>Shapes broadcast as in NumPy; the gradient of a broadcast operand is summed back to its shape.</p>
 *
 * <p>Memory: the arrays the tape makes (values of operations, gradients, temporaries) are ordinary ND4J arrays whose
 * data lives off the Java heap, so garbage collection alone frees them late: an objective on whole activations (NAD's
 * attention maps) left gigabytes behind per run. {@link #close()} frees them at once. Leaves and constants stay
 * their owners' and are never freed by the tape. {@link io.purifier.engine.train.LossPass} closes its tape as soon
 * as the network's backward pass has taken the gradients. The bookkeeping of which arrays to free is
 * {@link TapeArrays}.</p>
 *
 * <p>Length: each operation is written next to its backward rule, the one thing to check together when reading or
 * changing it; splitting the operations over several classes would separate rules that share the recording and
 * broadcasting helpers, so the operation set stays in this class, above 300 lines.</p>
 */
public final class Tape implements AutoCloseable {

    /** The local backward rule of one recorded operation. */
    @FunctionalInterface
    interface Backward {
        void apply(INDArray grad);
    }

    private final List<Var> vars = new ArrayList<>();
    private final TapeArrays arrays = new TapeArrays();
    private boolean closed;

    /** A value gradients flow to (for example logits); its gradient is {@link Var#grad()} after backward. */
    public Var leaf(INDArray value) {
        arrays.given(value);
        return record(value, true, null);
    }

    /** A value gradients do not flow to (labels, weights, teacher outputs). */
    public Var constant(INDArray value) {
        arrays.given(value);
        return record(value, false, null);
    }

    /** A scalar constant of the given type's data type. */
    public Var scalar(double v, Var like) {
        return constant(Nd4j.scalar(like.value().dataType(), v));
    }

    private Var record(INDArray value, boolean requiresGrad, Backward backward) {
        if (closed) {
            throw new IllegalStateException("the tape was closed; record the objective on a new tape");
        }
        Var v = new Var(this, value, requiresGrad, backward);
        vars.add(v);
        return v;
    }

    private Var op(INDArray value, Backward backward, Var... inputs) {
        boolean r = false;
        for (Var in : inputs) {
            r |= in.requiresGrad();
        }
        return record(own(value), r, r ? backward : null);
    }

    /** Marks {@code a} (made by this tape) to be freed by {@link #close()}; returns it. */
    private INDArray own(INDArray a) {
        return arrays.own(a);
    }

    /**
     * Frees every array the tape made: the values of operations, the gradients and the temporaries of the backward
     * rules. Leaves and constants are not touched. Afterwards no variable of this tape may be read, and recording
     * throws. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        arrays.free();
        for (Var v : vars) {
            v.grad = null;
        }
        vars.clear();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Arrays the tape will free on {@link #close()} (for tests). */
    int ownedArrays() {
        return arrays.owned();
    }

    /**
     * Back-propagates from {@code loss} (a one-element value): afterwards every variable that requires a gradient
     * and that the loss depends on has {@link Var#grad()}.
     */
    public void backward(Var loss) {
        if (loss.value().length() != 1) {
            throw new IllegalArgumentException("backward needs a scalar loss, got shape " + Arrays.toString(loss.shape()));
        }
        for (Var v : vars) {
            v.grad = null;
        }
        if (closed) {
            throw new IllegalStateException("the tape was closed");
        }
        loss.grad = own(Nd4j.ones(loss.value().dataType(), loss.shape()));
        for (int i = vars.size() - 1; i >= 0; i--) {
            Var v = vars.get(i);
            if (v.grad != null && v.backward != null) {
                v.backward.apply(v.grad);
            }
        }
    }

    /** Adds {@code g} (made by this tape) to the gradient of {@code v}. */
    private void accumulate(Var v, INDArray g) {
        own(g);
        if (!v.requiresGrad()) {
            return;
        }
        INDArray reduced = own(Broadcasting.reduceTo(g, v.shape()));
        v.grad = v.grad == null ? reduced : own(v.grad.add(reduced));
    }

    /** {@code v} expanded to {@code shape}; a new array is freed with the tape. */
    private INDArray expand(INDArray v, long[] shape) {
        return own(Broadcasting.to(v, shape));
    }

    // ------------------------------------------------------------------------------------------ arithmetic

    Var add(Var a, Var b) {
        long[] shape = Broadcasting.shape(a.shape(), b.shape());
        INDArray out = expand(a.value(), shape).add(expand(b.value(), shape));
        return op(out, g -> {
            accumulate(a, g);
            accumulate(b, g);
        }, a, b);
    }

    Var sub(Var a, Var b) {
        long[] shape = Broadcasting.shape(a.shape(), b.shape());
        INDArray out = expand(a.value(), shape).sub(expand(b.value(), shape));
        return op(out, g -> {
            accumulate(a, g);
            accumulate(b, g.neg());
        }, a, b);
    }

    Var mul(Var a, Var b) {
        long[] shape = Broadcasting.shape(a.shape(), b.shape());
        INDArray av = expand(a.value(), shape);
        INDArray bv = expand(b.value(), shape);
        return op(av.mul(bv), g -> {
            accumulate(a, g.mul(bv));
            accumulate(b, g.mul(av));
        }, a, b);
    }

    Var div(Var a, Var b) {
        long[] shape = Broadcasting.shape(a.shape(), b.shape());
        INDArray av = expand(a.value(), shape);
        INDArray bv = expand(b.value(), shape);
        INDArray out = av.div(bv);
        return op(out, g -> {
            accumulate(a, g.div(bv));
            accumulate(b, own(own(g.mul(out)).div(bv)).negi());
        }, a, b);
    }

    Var scale(Var a, double c) {
        return op(a.value().mul(c), g -> accumulate(a, g.mul(c)), a);
    }

    Var shift(Var a, double c) {
        return op(a.value().add(c), g -> accumulate(a, g), a);
    }

    // ------------------------------------------------------------------------------------ element functions

    /** {@code exp(a)}. */
    public Var exp(Var a) {
        INDArray out = Transforms.exp(a.value(), true);
        return op(out, g -> accumulate(a, g.mul(out)), a);
    }

    /** {@code log(a)}. */
    public Var log(Var a) {
        return op(Transforms.log(a.value(), true), g -> accumulate(a, g.div(a.value())), a);
    }

    /** {@code sqrt(a)}. */
    public Var sqrt(Var a) {
        INDArray out = Transforms.sqrt(a.value(), true);
        return op(out, g -> accumulate(a, g.div(own(out.mul(2)))), a);
    }

    /** {@code a²}. */
    public Var square(Var a) {
        return op(a.value().mul(a.value()), g -> accumulate(a, g.mul(a.value()).muli(2)), a);
    }

    /** {@code a^p} for a constant p. */
    public Var pow(Var a, double p) {
        return op(Transforms.pow(a.value(), p, true),
                g -> accumulate(a, g.mul(own(Transforms.pow(a.value(), p - 1, true))).muli(p)), a);
    }

    /** {@code |a|} (gradient 0 at 0). */
    public Var abs(Var a) {
        return op(Transforms.abs(a.value(), true), g -> accumulate(a, g.mul(own(Transforms.sign(a.value(), true)))), a);
    }

    /** {@code max(a, 0)}. */
    public Var relu(Var a) {
        INDArray mask = own(own(a.value().gt(0)).castTo(a.value().dataType()));
        return op(a.value().mul(mask), g -> accumulate(a, g.mul(mask)), a);
    }

    /** The logistic function. */
    public Var sigmoid(Var a) {
        INDArray out = Transforms.sigmoid(a.value(), true);
        return op(out, g -> accumulate(a, g.mul(out).muli(own(out.rsub(1.0)))), a);
    }

    /** {@code tanh(a)}. */
    public Var tanh(Var a) {
        INDArray out = Transforms.tanh(a.value(), true);
        return op(out, g -> accumulate(a, g.mul(own(out.mul(out).rsubi(1.0)))), a);
    }

    /** {@code a} clamped to {@code [lo, hi]}; the gradient passes where {@code lo <= a <= hi} (PyTorch's clamp). */
    public Var clamp(Var a, double lo, double hi) {
        INDArray v = a.value();
        INDArray out = Transforms.max(Transforms.min(v, hi, true), lo, false);
        INDArray inside = own(own(v.gte(lo)).castTo(v.dataType())).muli(own(own(v.lte(hi)).castTo(v.dataType())));
        return op(out, g -> accumulate(a, g.mul(inside)), a);
    }

    // ------------------------------------------------------------------------------------------- reductions

    Var sum(Var a) {
        INDArray out = Nd4j.scalar(a.value().dataType(), a.value().sumNumber().doubleValue());
        return op(out, g -> accumulate(a, Nd4j.valueArrayOf(a.shape(), g.getDouble(0), a.value().dataType())), a);
    }

    Var mean(Var a) {
        long n = a.value().length();
        INDArray out = Nd4j.scalar(a.value().dataType(), a.value().sumNumber().doubleValue() / n);
        return op(out, g -> accumulate(a, Nd4j.valueArrayOf(a.shape(), g.getDouble(0) / n, a.value().dataType())), a);
    }

    Var sum(Var a, int... dims) {
        INDArray out = a.value().sum(true, dims);
        return op(out, g -> accumulate(a, expand(g, a.shape())), a);
    }

    Var mean(Var a, int... dims) {
        INDArray out = a.value().mean(true, dims);
        long count = a.value().length() / out.length();
        return op(out, g -> accumulate(a, expand(g, a.shape()).div(count)), a);
    }

    // --------------------------------------------------------------------------------------------- softmax

    /** Log-softmax over the last dimension of a {@code [N, K]} value, computed stably. */
    public Var logSoftmax(Var z) {
        INDArray out = Softmax.logSoftmaxRows(z.value());
        INDArray probs = own(Transforms.exp(out, true));
        return op(out, g -> accumulate(z, g.sub(own(probs.mulColumnVector(own(g.sum(true, 1)))))), z);
    }

    /** Softmax over the last dimension of a {@code [N, K]} value. */
    public Var softmax(Var z) {
        INDArray probs = Transforms.exp(own(Softmax.logSoftmaxRows(z.value())), true);
        return op(probs, g -> accumulate(z, probs.mul(own(g.subColumnVector(own(own(g.mul(probs)).sum(1)))))), z);
    }

    // --------------------------------------------------------------------------------------------- shapes

    /** Matrix product of two 2-D values. */
    public Var matmul(Var a, Var b) {
        return op(a.value().mmul(b.value()), g -> {
            accumulate(a, g.mmul(b.value().transpose()));
            accumulate(b, a.value().transpose().mmul(g));
        }, a, b);
    }

    /** The same values in another shape (C order). */
    public Var reshape(Var a, long... shape) {
        return op(a.value().reshape('c', shape).dup('c'), g -> accumulate(a, g.reshape('c', a.shape())), a);
    }

    /** The same value without gradient flow. */
    public Var detach(Var a) {
        return constant(a.value());
    }

    // --------------------------------------------------------------------------------------------- losses

    /**
     * Mean softmax cross-entropy of {@code [N, K]} logits against class labels (PyTorch's {@code cross_entropy}),
     * one fused operation.
     *
     * @throws IllegalArgumentException when a label is outside [0, K) or the counts differ
     */
    public Var crossEntropy(Var z, int[] labels) {
        int n = (int) z.value().size(0);
        int k = (int) z.value().size(1);
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " logit rows but " + labels.length + " labels");
        }
        INDArray logp = own(Softmax.logSoftmaxRows(z.value()));
        double total = 0;
        INDArray onehot = own(Nd4j.zeros(z.value().dataType(), n, k));
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is outside [0, " + k + ")");
            }
            total -= logp.getDouble(i, labels[i]);
            onehot.putScalar(i, labels[i], 1.0);
        }
        INDArray out = Nd4j.scalar(z.value().dataType(), total / n);
        return op(out, g -> accumulate(z, Transforms.exp(logp, true).subi(onehot).muli(g.getDouble(0) / n)), z);
    }

    /**
     * Mean cross-entropy of {@code [N, K]} logits against target distributions {@code [N, K]} (rows sum to 1):
     * {@code -(1/N) sum_i sum_k t_ik log softmax(z_i)_k}.
     */
    public Var softCrossEntropy(Var z, INDArray targets) {
        int n = (int) z.value().size(0);
        INDArray logp = own(Softmax.logSoftmaxRows(z.value()));
        INDArray t = targets.castTo(z.value().dataType());
        if (t != targets) {
            own(t);
        }
        double value = -own(logp.mul(t)).sumNumber().doubleValue() / n;
        INDArray rowMass = own(t.sum(true, 1));
        return op(Nd4j.scalar(z.value().dataType(), value),
                g -> accumulate(z, Transforms.exp(logp, true).mulColumnVector(rowMass).subi(t).muli(g.getDouble(0) / n)), z);
    }
}
