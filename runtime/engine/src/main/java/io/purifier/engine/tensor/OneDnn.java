package io.purifier.engine.tensor;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

/**
 * oneDNN (2.5, through JavaCPP's {@code org.bytedeco:dnnl}) called directly, for the operations where libnd4j's
 * wrapper costs as much as the arithmetic: libnd4j builds a oneDNN primitive descriptor and reorders the weights on
 * every call, which made the convolutions of PreAct-ResNet-18 at width 1/8 take about twice as long per call as a
 * reused primitive ({@code runtime/engine/README.md}, "Speed"). Here a primitive is built once per shape
 * ({@link OneDnnConv}) and reused.
 *
 * <p>Optional: when the library is missing or fails to load (another platform, a class path without the natives),
 * {@link #available()} is false and callers use libnd4j's operations. {@code -Dpurifier.engine.onednn=false} turns
 * the direct path off, to compare the two.</p>
 *
 * <p>ND4J is initialised first so that its OpenMP runtime ({@code libgomp}) is the one loaded: oneDNN then resolves
 * to the same library and both share one thread pool instead of two pools fighting over the cores.</p>
 */
final class OneDnn {

    /** System property that turns the direct path off ({@code false}). */
    static final String PROPERTY = "purifier.engine.onednn";

    private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);
    /** Alignment of the internal buffers oneDNN's kernels read and write. */
    private static final int ALIGNMENT = 64;

    private OneDnn() {
    }

    private static final class Holder {
        static final dnnl_engine ENGINE = load();
    }

    /** Whether direct oneDNN calls can be made (library loaded, engine created, not turned off). */
    static boolean available() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true")) && Holder.ENGINE != null;
    }

    /** The CPU engine; only after {@link #available()}. */
    static dnnl_engine engine() {
        return Holder.ENGINE;
    }

    private static dnnl_engine load() {
        try {
            Nd4j.create(DataType.FLOAT, 1).addi(0); // ND4J's natives (and its libgomp) first
            Loader.load(org.bytedeco.dnnl.global.dnnl.class);
            dnnl_engine engine = new dnnl_engine();
            check(dnnl_engine_create(engine, dnnl_cpu, 0), "creating the CPU engine");
            return engine;
        } catch (Throwable e) { // NoClassDefFoundError, UnsatisfiedLinkError, a failed engine
            LOG.info("oneDNN direct calls unavailable ({}); convolutions use libnd4j", e.toString());
            return null;
        }
    }

    /** Throws when a oneDNN call did not succeed. */
    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN failed " + what + ": " + statusName(status));
        }
    }

    private static String statusName(int status) {
        return switch (status) {
            case 1 -> "out of memory";
            case 2 -> "invalid arguments";
            case 3 -> "unimplemented";
            case 5 -> "runtime error";
            default -> "status " + status;
        };
    }

    /** A FLOAT memory descriptor of {@code dims} in the layout {@code tag} (a {@code dnnl_format_tag_t}). */
    static dnnl_memory_desc_t desc(long[] dims, int tag) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(md, dims.length, dims, dnnl_f32, tag), "describing an array");
        return md;
    }

    /** A new stream on the engine. */
    static dnnl_stream stream() {
        dnnl_stream s = new dnnl_stream();
        check(dnnl_stream_create(s, engine(), dnnl_stream_default_flags), "creating a stream");
        return s;
    }

    /** A primitive of {@code pd} (which stays owned by the caller). */
    static dnnl_primitive primitive(dnnl_primitive_desc pd) {
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "creating a primitive");
        return p;
    }

    /** Runs {@code p} with the given argument ids and memories. */
    static void execute(dnnl_primitive p, dnnl_stream stream, dnnl_exec_arg_t args, int count) {
        check(dnnl_primitive_execute(p, stream, count, args), "executing a primitive");
    }

    /** An argument list for {@link #execute}. */
    static dnnl_exec_arg_t arguments(int[] ids, dnnl_memory[] memories) {
        dnnl_exec_arg_t args = new dnnl_exec_arg_t(ids.length);
        for (int i = 0; i < ids.length; i++) {
            args.position(i).arg(ids[i]).memory(memories[i]);
        }
        return args.position(0);
    }

    /**
     * One argument of a primitive as the engine holds it (a dense NCHW/OIHW array, bound per call by address) and as
     * the primitive wants it. When the primitive chose another layout the port has a memory in that layout, placed
     * per call in the shared {@link Arena}, and a reorder between the two, run before the primitive for an input and
     * after it for an output.
     */
    static final class Port implements AutoCloseable {
        final int arg;
        private final boolean output;
        private final dnnl_memory user;
        private final dnnl_memory inner;
        private final long innerBytes;
        private final dnnl_primitive_desc reorderDesc;
        private final dnnl_primitive reorder;
        private final dnnl_exec_arg_t reorderArgs;
        private final Address userAddress = new Address();
        private final Address innerAddress = new Address();

        /**
         * @param arg    the primitive's argument id ({@code DNNL_ARG_*})
         * @param output whether the primitive writes it
         * @param user   the engine's layout
         * @param wanted the primitive's layout (queried from its descriptor)
         */
        Port(int arg, boolean output, dnnl_memory_desc_t user, dnnl_memory_desc_t wanted) {
            this.arg = arg;
            this.output = output;
            this.user = memory(user);
            if (dnnl_memory_desc_equal(user, wanted) != 0) {
                inner = null;
                innerBytes = 0;
                reorderDesc = null;
                reorder = null;
                reorderArgs = null;
                return;
            }
            innerBytes = (dnnl_memory_desc_get_size(wanted) + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
            inner = memory(wanted);
            reorderDesc = new dnnl_primitive_desc();
            if (output) {
                check(dnnl_reorder_primitive_desc_create(reorderDesc, wanted, engine(), user, engine(), null),
                        "describing a reorder");
            } else {
                check(dnnl_reorder_primitive_desc_create(reorderDesc, user, engine(), wanted, engine(), null),
                        "describing a reorder");
            }
            reorder = primitive(reorderDesc);
            reorderArgs = output ? arguments(new int[]{DNNL_ARG_FROM, DNNL_ARG_TO}, new dnnl_memory[]{inner, this.user})
                    : arguments(new int[]{DNNL_ARG_FROM, DNNL_ARG_TO}, new dnnl_memory[]{this.user, inner});
        }

        private static dnnl_memory memory(dnnl_memory_desc_t md) {
            dnnl_memory m = new dnnl_memory();
            check(dnnl_memory_create(m, md, engine(), null), "creating a memory object");
            return m;
        }

        /** Binds the engine's array at {@code address} for the next call. */
        void bind(long address) {
            userAddress.at(address);
            check(dnnl_memory_set_data_handle(user, userAddress), "binding an array");
        }

        /** Bytes of arena the port's own layout needs (0 when the primitive reads the engine's array). */
        long innerBytes() {
            return innerBytes;
        }

        /** Places the port's own layout at {@code address} (in the arena) for the next call. */
        void place(long address) {
            if (inner != null) {
                innerAddress.at(address);
                check(dnnl_memory_set_data_handle(inner, innerAddress), "placing a reordered array");
            }
        }

        /** The memory the primitive reads or writes. */
        dnnl_memory forPrimitive() {
            return inner == null ? user : inner;
        }

        /** Reorders an input into the primitive's layout. */
        void before(dnnl_stream stream) {
            if (!output && reorder != null) {
                execute(reorder, stream, reorderArgs, 2);
            }
        }

        /** Reorders an output into the engine's layout. */
        void after(dnnl_stream stream) {
            if (output && reorder != null) {
                execute(reorder, stream, reorderArgs, 2);
            }
        }

        @Override
        public void close() {
            if (reorder != null) {
                dnnl_primitive_destroy(reorder);
                dnnl_primitive_desc_destroy(reorderDesc);
                dnnl_memory_destroy(inner);
            }
            dnnl_memory_destroy(user);
        }
    }

    /**
     * The memory behind every port's own layout: primitives run one at a time ({@link OneDnnPrimitive}), so one
     * buffer, as large as the largest primitive needs, serves them all instead of a buffer per cached primitive
     * (which for a wide network would hold hundreds of MB of copies of its activations).
     */
    static final class Arena {
        private static BytePointer buffer;
        private static long capacity;

        private Arena() {
        }

        /** The aligned address of at least {@code bytes} bytes, valid until the next call; callers hold the lock. */
        static long reserve(long bytes) {
            if (bytes > capacity) {
                release();
                buffer = new BytePointer(bytes + ALIGNMENT);
                capacity = bytes;
            }
            long a = buffer == null ? 0 : buffer.address();
            return (a + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        }

        /** Frees the buffer. */
        static void release() {
            if (buffer != null) {
                buffer.deallocate();
                buffer = null;
                capacity = 0;
            }
        }

        /** Bytes held (tests). */
        static long capacity() {
            return capacity;
        }
    }

    /** A pointer at an address set per call (the engine's arrays live in ND4J's buffers). */
    private static final class Address extends Pointer {
        void at(long a) {
            address = a;
        }
    }
}
