package io.purifier.engine.tensor;

import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;

/**
 * One oneDNN primitive built for one shape, with its {@link OneDnn.Port}s (in the order the caller passes arrays),
 * stream and argument list, and the cache that keeps them: the most recently used {@value #CAPACITY} primitives,
 * destroyed when evicted (a network has a few dozen shapes per operation; a smaller last batch adds its own).
 *
 * <p>A shape oneDNN refuses to build a primitive for is remembered and logged once; {@link #prepare} then answers
 * false and the caller takes libnd4j's path for it.</p>
 *
 * <p>Calls are serialized on the cache, which is what lets every primitive share one {@link OneDnn.Arena} for its
 * reordered arguments: a worker process runs one run, and concurrent runs in one JVM share the cores anyway.</p>
 */
final class OneDnnPrimitive implements AutoCloseable {

    /** Primitives kept. */
    static final int CAPACITY = 128;

    private static final Map<Object, OneDnnPrimitive> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, OneDnnPrimitive> eldest) {
            if (size() > CAPACITY) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(OneDnnPrimitive.class);

    /** Keys oneDNN refused to build a primitive for (guarded by {@link #CACHE}). */
    private static final Set<Object> REFUSED = new HashSet<>();

    private final dnnl_primitive_desc pd;
    private final dnnl_primitive primitive;
    private final List<OneDnn.Port> ports;
    private final dnnl_stream stream;
    private final dnnl_exec_arg_t args;
    private final long innerBytes;

    /** Takes ownership of {@code pd} and {@code ports}. */
    OneDnnPrimitive(dnnl_primitive_desc pd, List<OneDnn.Port> ports) {
        this.pd = pd;
        this.primitive = OneDnn.primitive(pd);
        this.ports = ports;
        this.stream = OneDnn.stream();
        int[] ids = new int[ports.size()];
        dnnl_memory[] memories = new dnnl_memory[ports.size()];
        long bytes = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ports.get(i).arg;
            memories[i] = ports.get(i).forPrimitive();
            bytes += ports.get(i).innerBytes();
        }
        this.args = OneDnn.arguments(ids, memories);
        this.innerBytes = bytes;
    }

    /** Whether oneDNN is available and every array is dense FLOAT (null arrays are skipped). */
    static boolean accepts(INDArray... arrays) {
        if (!OneDnn.available()) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a != null && (a.dataType() != DataType.FLOAT || !Tensors.isDense(a))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the primitive under {@code key} is ready: cached, or built now by {@code factory} and cached. False
     * when oneDNN refuses to build it (a geometry its kernels do not cover, or its own error): the refusal is logged
     * once, remembered, and the caller computes that shape with libnd4j instead.
     */
    static boolean prepare(Object key, Supplier<OneDnnPrimitive> factory) {
        synchronized (CACHE) {
            if (CACHE.containsKey(key)) {
                return true;
            }
            if (REFUSED.contains(key)) {
                return false;
            }
            try {
                CACHE.put(key, factory.get());
                return true;
            } catch (IllegalStateException e) {
                REFUSED.add(key);
                LOG.warn("{}; libnd4j computes this shape instead", e.getMessage());
                return false;
            }
        }
    }

    /**
     * Runs the primitive cached under {@code key} (built by {@code factory} the first time) on {@code arrays}, bound
     * to its ports in order; a null array is an absent optional argument (a bias) and is skipped.
     */
    static void run(Object key, Supplier<OneDnnPrimitive> factory, INDArray... arrays) {
        synchronized (CACHE) {
            OneDnnPrimitive p = CACHE.get(key);
            if (p == null) {
                p = factory.get();
                CACHE.put(key, p);
            }
            p.run(arrays);
        }
    }

    private void run(INDArray[] arrays) {
        int port = 0;
        for (INDArray a : arrays) {
            if (a == null) {
                continue;
            }
            ports.get(port++).bind(Buf.of(a).address);
        }
        if (port != ports.size()) {
            throw new IllegalStateException("a primitive with " + ports.size() + " arguments got " + port);
        }
        long at = OneDnn.Arena.reserve(innerBytes);
        for (OneDnn.Port p : ports) {
            p.place(at);
            at += p.innerBytes();
        }
        for (OneDnn.Port p : ports) {
            p.before(stream);
        }
        OneDnn.execute(primitive, stream, args, ports.size());
        for (OneDnn.Port p : ports) {
            p.after(stream);
        }
        OneDnn.check(dnnl_stream_wait(stream), "waiting for a primitive");
    }

    /** Drops every cached primitive and the arena (tests; the cache otherwise lives as long as the process). */
    static void clear() {
        synchronized (CACHE) {
            CACHE.values().forEach(OneDnnPrimitive::close);
            CACHE.clear();
            REFUSED.clear();
            OneDnn.Arena.release();
        }
    }

    /** Cached primitives (tests). */
    static int cached() {
        synchronized (CACHE) {
            return CACHE.size();
        }
    }

    @Override
    public void close() {
        ports.forEach(OneDnn.Port::close);
        dnnl_primitive_destroy(primitive);
        dnnl_primitive_desc_destroy(pd);
        dnnl_stream_destroy(stream);
    }
}
