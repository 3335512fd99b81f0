package io.purifier.engine.tensor;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_binary_desc_t;
import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_0;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_1;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_binary_add;
import static org.bytedeco.dnnl.global.dnnl.dnnl_binary_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu_use_dst_for_bwd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;

/**
 * Element-wise operations as cached oneDNN primitives on dense FLOAT arrays, seen as flat vectors (so every shape of
 * one length shares a primitive): the ReLU gradient and the sum of two arrays. oneDNN's generated kernels ran the
 * ReLU gradient 2–6x faster than the engine's Java kernel on the two-core machine ({@code runtime/engine/README.md},
 * "Speed"), and they run on the OpenMP threads the convolutions use, so the Java kernel pool and OpenMP do not take
 * turns on the cores between two operations. Both give the same bits as libnd4j's operations and the Java kernels
 * ({@code OneDnnEltwiseTest}). Callers check {@link #accepts} and fall back to those otherwise.
 *
 * <p>The ReLU itself is not here: oneDNN's maps NaN to 0 and -0 to +0, where libnd4j (and PyTorch) keep them.</p>
 */
public final class OneDnnEltwise {

    private OneDnnEltwise() {
    }

    /** What a primitive computes. */
    private enum Kind { RELU_BACKWARD, ADD }

    private record Key(Kind kind, long length) {
    }

    /** Whether oneDNN is available and every array is dense FLOAT. */
    public static boolean accepts(INDArray... arrays) {
        return OneDnnPrimitive.accepts(arrays);
    }

    /** {@code gx = y > 0 ? g : 0} for the ReLU output {@code y}; {@code gx} may be {@code g}. */
    public static void reluBackward(INDArray y, INDArray g, INDArray gx) {
        Key key = new Key(Kind.RELU_BACKWARD, y.length());
        OneDnnPrimitive.run(key, () -> create(key), y, g, gx);
    }

    /** {@code out = a + b} for arrays of one length; {@code out} may be either input. */
    public static void add(INDArray a, INDArray b, INDArray out) {
        Key key = new Key(Kind.ADD, a.length());
        OneDnnPrimitive.run(key, () -> create(key), a, b, out);
    }

    private static OneDnnPrimitive create(Key key) {
        dnnl_memory_desc_t flat = OneDnn.desc(new long[]{key.length()}, dnnl_a);
        String what = "describing " + key.kind().name().toLowerCase(java.util.Locale.ROOT) + " of " + key.length()
                + " elements";
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        switch (key.kind()) {
            case RELU_BACKWARD -> {
                dnnl_primitive_desc hint = new dnnl_primitive_desc();
                OneDnn.check(dnnl_primitive_desc_create(hint, new const_dnnl_op_desc_t(forward(flat, what)), null,
                        OneDnn.engine(), null), what);
                dnnl_eltwise_desc_t bd = new dnnl_eltwise_desc_t();
                OneDnn.check(dnnl_eltwise_backward_desc_init(bd, dnnl_eltwise_relu_use_dst_for_bwd, flat, flat, 0f,
                        0f), what);
                OneDnn.check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(bd), null, OneDnn.engine(),
                        hint), what);
                dnnl_primitive_desc_destroy(hint);
                return new OneDnnPrimitive(pd, List.of(new OneDnn.Port(DNNL_ARG_DST, false, flat, flat),
                        new OneDnn.Port(DNNL_ARG_DIFF_DST, false, flat, flat),
                        new OneDnn.Port(DNNL_ARG_DIFF_SRC, true, flat, flat)));
            }
            case ADD -> {
                dnnl_binary_desc_t bd = new dnnl_binary_desc_t();
                OneDnn.check(dnnl_binary_desc_init(bd, dnnl_binary_add, flat, flat, flat), what);
                OneDnn.check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(bd), null, OneDnn.engine(),
                        null), what);
                return new OneDnnPrimitive(pd, List.of(new OneDnn.Port(DNNL_ARG_SRC_0, false, flat, flat),
                        new OneDnn.Port(DNNL_ARG_SRC_1, false, flat, flat),
                        new OneDnn.Port(DNNL_ARG_DST, true, flat, flat)));
            }
            default -> throw new IllegalStateException("unknown kind " + key.kind());
        }
    }

    /** ReLU forward (the output is what the backward primitive reads). */
    private static dnnl_eltwise_desc_t forward(dnnl_memory_desc_t flat, String what) {
        dnnl_eltwise_desc_t d = new dnnl_eltwise_desc_t();
        OneDnn.check(dnnl_eltwise_forward_desc_init(d, dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd, flat,
                0f, 0f), what);
        return d;
    }
}
