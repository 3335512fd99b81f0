package io.purifier.engine.nn;

import io.purifier.api.InvalidInputException;
import io.purifier.engine.model.BnMode;
import io.purifier.engine.tensor.Buf;
import io.purifier.engine.tensor.BufferPool;
import io.purifier.engine.tensor.ElementKernels;
import io.purifier.engine.tensor.NativeGarbageGuard;
import io.purifier.engine.tensor.Tensors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One forward pass through a {@link Network}, kept for a backward pass: every node's output, and what each layer
 * saved. Arrays come from the model's {@link BufferPool} and go back to it on {@link #close()}, so repeated passes of
 * the same shapes allocate nothing; outputs read from the pass are valid until then.
 *
 * <p>{@link #backward} propagates gradients given at the logits and/or at any public layer (several seeds add up)
 * back to the requested parameters and input, skipping every node that leads to nothing requested.</p>
 * <p>Length: the forward and backward interpreter loops and their buffer bookkeeping share the per-pass state
 * (outputs, saved arrays, reference counts); keeping them in one class keeps the hot path readable in one place,
 * above 300 lines.</p>
 */
public final class ForwardPass implements AutoCloseable {

    /** Seed key for the logits in {@link #backward(Map)}. */
    public static final String LOGITS = "logits";

    private final Network net;
    private final ArrayStore store;
    private final BufferPool pool;
    private final DataType dataType;
    private final BnMode mode;
    private final boolean updateStatistics;
    private final GradientRequest request;
    private final List<Node> nodes;
    private final Map<String, Integer> index = new HashMap<>();
    private final INDArray[] outputs;
    private final Object[] saved;
    private final boolean[] requiresGrad;
    private final Set<INDArray> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Context ctx = new Context();
    private boolean closed;

    /**
     * Runs the forward pass.
     *
     * @param images           {@code [N, C, H, W]} pixels in [0, 1] (cast to the model's type when needed)
     * @param mode             batch-norm mode
     * @param updateStatistics whether training-mode batch norms update their running statistics
     * @param request          the gradients a later {@link #backward} may ask for
     */
    public ForwardPass(Network net, ArrayStore store, BufferPool pool, DataType dataType, INDArray images, BnMode mode,
                       boolean updateStatistics, GradientRequest request) {
        this.net = net;
        this.store = store;
        this.pool = pool;
        this.dataType = dataType;
        this.mode = mode;
        this.updateStatistics = updateStatistics;
        this.request = request;
        this.nodes = net.nodes();
        this.outputs = new INDArray[nodes.size()];
        this.saved = new Object[nodes.size()];
        this.requiresGrad = new boolean[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).name(), i);
        }
        markRequiresGrad();
        NativeGarbageGuard.check();
        run(Tensors.dense(images, dataType));
    }

    private void markRequiresGrad() {
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            boolean r = i == 0 ? request.input() : false;
            for (ArraySpec spec : n.layer().arrays()) {
                r |= request.parameters().contains(n.array(spec.suffix()));
            }
            for (String in : n.inputs()) {
                r |= requiresGrad[index.get(in)];
            }
            requiresGrad[i] = r;
        }
    }

    private void run(INDArray images) {
        for (int i = 0; i < nodes.size(); i++) {
            ctx.at(i);
            long t0 = PassProfile.enabled() ? System.nanoTime() : 0;
            outputs[i] = nodes.get(i).layer().forward(ctx, i == 0 ? List.of(images) : inputsOf(i));
            if (t0 != 0) {
                PassProfile.record(nodes.get(i).layer().type() + "/forward", System.nanoTime() - t0);
            }
        }
    }

    private List<INDArray> inputsOf(int i) {
        List<String> names = nodes.get(i).inputs();
        List<INDArray> out = new ArrayList<>(names.size());
        for (String s : names) {
            out.add(outputs[index.get(s)]);
        }
        return out;
    }

    /** The logits {@code [N, K]} (valid until {@link #close()}). */
    public INDArray logits() {
        return outputs[index.get(net.output())];
    }

    /** The output of a public layer (valid until {@link #close()}). */
    public INDArray output(String layer) {
        check();
        return outputs[index.get(net.layerNode(layer))];
    }

    /** The output of a node by node name (valid until {@link #close()}). */
    public INDArray nodeOutput(String node) {
        check();
        Integer i = index.get(node);
        if (i == null) {
            throw new InvalidInputException("the network has no node named '" + node + "'");
        }
        return outputs[i];
    }

    /** Back-propagates {@code gradLogits} (the loss gradient with respect to the logits). */
    public Gradients backward(INDArray gradLogits) {
        return backward(Map.of(LOGITS, gradLogits));
    }

    /**
     * Back-propagates loss gradients given at {@link #LOGITS} and/or at public layers (same shapes as their
     * outputs). Gradients from several seeds and several consumers add up.
     *
     * @return the requested gradients (close them when done)
     */
    public Gradients backward(Map<String, INDArray> seeds) {
        check();
        if (!request.any()) {
            throw new IllegalStateException("this pass was run without a gradient request");
        }
        INDArray[] grads = new INDArray[nodes.size()];
        boolean[] exclusive = new boolean[nodes.size()];
        for (Map.Entry<String, INDArray> e : seeds.entrySet()) {
            int i = index.get(e.getKey().equals(LOGITS) ? net.output() : net.layerNode(e.getKey()));
            INDArray seed = Tensors.dense(e.getValue(), dataType);
            if (!java.util.Arrays.equals(seed.shape(), outputs[i].shape())) {
                throw new InvalidInputException("gradient for '" + e.getKey() + "' has shape "
                        + java.util.Arrays.toString(seed.shape()) + ", the output has "
                        + java.util.Arrays.toString(outputs[i].shape()));
            }
            accumulate(grads, exclusive, i, seed, false);
        }
        Gradients result = new Gradients(pool);
        ctx.result = result;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (grads[i] == null || !requiresGrad[i]) {
                continue;
            }
            if (i == 0) {
                result.setInput(owned(grads[i], exclusive[i]));
                exclusive[i] = false;
                continue;
            }
            ctx.at(i);
            ctx.fresh.clear();
            long t0 = PassProfile.enabled() ? System.nanoTime() : 0;
            INDArray[] gi = nodes.get(i).layer().backward(ctx, inputsOf(i), outputs[i], grads[i]);
            if (t0 != 0) {
                PassProfile.record(nodes.get(i).layer().type() + "/backward", System.nanoTime() - t0);
            }
            List<String> ins = nodes.get(i).inputs();
            Set<INDArray> given = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int j = 0; j < ins.size(); j++) {
                if (gi[j] != null) {
                    boolean fresh = ctx.fresh.contains(gi[j]) && given.add(gi[j]);
                    accumulate(grads, exclusive, index.get(ins.get(j)), gi[j], fresh);
                }
            }
        }
        ctx.result = null;
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] != null && exclusive[i]) {
                release(grads[i]);
            }
        }
        return result;
    }

    private void accumulate(INDArray[] grads, boolean[] exclusive, int i, INDArray g, boolean fresh) {
        if (grads[i] == null) {
            grads[i] = g;
            exclusive[i] = fresh;
            return;
        }
        if (!exclusive[i]) {
            INDArray copy = take(grads[i].shape());
            ElementKernels.copy(Buf.of(grads[i]), Buf.of(copy));
            grads[i] = copy;
            exclusive[i] = true;
        }
        ElementKernels.add(Buf.of(grads[i]), Buf.of(g), Buf.of(grads[i]));
        if (fresh) {
            release(g);
        }
    }

    /** {@code g} itself when the pass owns it exclusively, else a pass-owned copy; ownership moves to the caller. */
    private INDArray owned(INDArray g, boolean exclusive) {
        INDArray out = g;
        if (!exclusive) {
            out = take(g.shape());
            ElementKernels.copy(Buf.of(g), Buf.of(out));
        }
        owned.remove(out);
        return out;
    }

    private INDArray take(long... shape) {
        INDArray a = pool.take(dataType, shape);
        owned.add(a);
        return a;
    }

    private void release(INDArray a) {
        if (owned.remove(a)) {
            pool.release(a);
        }
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("the forward pass was closed");
        }
    }

    /** Returns every array the pass still owns to the pool. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (INDArray a : owned) {
            pool.release(a);
        }
        owned.clear();
    }

    /** The per-node context handed to layers. */
    private final class Context implements LayerContext {
        private int at;
        private Node node;
        private Gradients result;
        private final Set<INDArray> fresh = Collections.newSetFromMap(new IdentityHashMap<>());

        void at(int i) {
            at = i;
            node = nodes.get(i);
        }

        @Override
        public String node() {
            return node.name();
        }

        @Override
        public BnMode mode() {
            return mode;
        }

        @Override
        public DataType dataType() {
            return dataType;
        }

        @Override
        public INDArray array(String suffix) {
            return store.get(node.array(suffix));
        }

        @Override
        public INDArray take(long... shape) {
            INDArray a = ForwardPass.this.take(shape);
            fresh.add(a);
            return a;
        }

        @Override
        public INDArray scratch(long... shape) {
            return pool.take(dataType, shape);
        }

        @Override
        public void release(INDArray scratch) {
            pool.release(scratch);
        }

        @Override
        public void save(Object state) {
            saved[at] = state;
        }

        @Override
        public Object saved() {
            return saved[at];
        }

        @Override
        public boolean updatesRunningStatistics() {
            return updateStatistics;
        }

        @Override
        public boolean wantsGradient(String suffix) {
            return request.parameters().contains(node.array(suffix));
        }

        @Override
        public void parameterGradient(String suffix, INDArray gradient) {
            owned.remove(gradient);
            result.putParameter(node.array(suffix), gradient);
        }

        @Override
        public boolean needsInputGradient(int i) {
            return requiresGrad[index.get(node.inputs().get(i))];
        }
    }
}
