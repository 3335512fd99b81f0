package io.purifier.engine.tensor;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_dilated_convolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_dilated_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_dilated_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

/**
 * 2-D convolutions (forward, input gradient, weight and bias gradients) as cached oneDNN primitives on the engine's
 * dense NCHW FLOAT arrays with OIHW weights.
 *
 * <p>Each distinct shape and geometry gets its primitive once ({@link OneDnnPrimitive}'s cache); oneDNN chooses its
 * layouts ({@code any}), and where they differ from the engine's the primitive's {@link OneDnn.Port}s reorder, with
 * reorders that are built once too.</p>
 *
 * <p>{@link #accepts} says whether a call can go this way (FLOAT, dense arrays, oneDNN available), and
 * {@link #forwardBuilt} / {@link #backwardBuilt} whether oneDNN builds the primitives for the shapes; callers fall
 * back to libnd4j's operations otherwise (DOUBLE gradient checks, views, other platforms, a refused geometry).
 * Results are the same algorithm as libnd4j's oneDNN convolutions and differ from them only in float rounding where
 * oneDNN 2.5 picks another kernel than libnd4j's 2.3 ({@code OneDnnConvTest} bounds the difference).</p>
 */
public final class OneDnnConv {

    private OneDnnConv() {
    }

    /** What a primitive computes. */
    enum Kind { FORWARD, BACKWARD_DATA, BACKWARD_WEIGHTS }

    /**
     * A primitive's identity: kind, input {@code [n, c, h, w]}, {@code o} output channels, geometry, bias.
     */
    record Key(Kind kind, long n, long c, long h, long w, long o, NativeOps.Conv conv, boolean bias) {

        long[] src() {
            return new long[]{n, c, h, w};
        }

        long[] weights() {
            return new long[]{o, c, conv.kh(), conv.kw()};
        }

        long[] dst() {
            return new long[]{n, o, NativeOps.Conv.outSize((int) h, conv.kh(), conv.sh(), conv.ph(), conv.dh()),
                    NativeOps.Conv.outSize((int) w, conv.kw(), conv.sw(), conv.pw(), conv.dw())};
        }
    }

    /** Whether oneDNN is available and every array is dense FLOAT (null arrays are skipped). */
    public static boolean accepts(INDArray... arrays) {
        return OneDnnPrimitive.accepts(arrays);
    }

    /**
     * Whether the forward primitive for input {@code x}, weights {@code w} and {@code conv} is cached or can be built
     * now (false, logged once, when oneDNN refuses the geometry). Only after {@link #accepts}.
     */
    public static boolean forwardBuilt(INDArray x, INDArray w, boolean bias, NativeOps.Conv conv) {
        return prepare(new Key(Kind.FORWARD, x.size(0), x.size(1), x.size(2), x.size(3), w.size(0), conv, bias));
    }

    /** {@link #forwardBuilt} for both backward primitives (input gradient; weight and bias gradients). */
    public static boolean backwardBuilt(INDArray x, INDArray w, boolean bias, NativeOps.Conv conv) {
        long[] s = x.shape();
        return prepare(new Key(Kind.BACKWARD_DATA, s[0], s[1], s[2], s[3], w.size(0), conv, false))
                && prepare(new Key(Kind.BACKWARD_WEIGHTS, s[0], s[1], s[2], s[3], w.size(0), conv, bias));
    }

    private static boolean prepare(Key key) {
        return OneDnnPrimitive.prepare(key, () -> create(key));
    }

    /** {@code y = conv(x, w) + b}; shapes as {@link NativeOps#conv2d}. Only after {@link #forwardBuilt}. */
    public static void forward(INDArray x, INDArray w, INDArray b, INDArray y, NativeOps.Conv conv) {
        long[] s = x.shape();
        Key key = new Key(Kind.FORWARD, s[0], s[1], s[2], s[3], w.size(0), conv, b != null);
        run(key, x, w, b, y);
    }

    /** The input gradient {@code gx} of {@link #forward} for the output gradient {@code gy}. */
    public static void backwardData(INDArray gy, INDArray w, INDArray gx, NativeOps.Conv conv) {
        long[] s = gx.shape();
        Key key = new Key(Kind.BACKWARD_DATA, s[0], s[1], s[2], s[3], w.size(0), conv, false);
        run(key, gy, w, gx);
    }

    /** The weight gradient {@code gw} (and bias gradient {@code gb} unless null) of {@link #forward}. */
    public static void backwardWeights(INDArray x, INDArray gy, INDArray gw, INDArray gb, NativeOps.Conv conv) {
        long[] s = x.shape();
        Key key = new Key(Kind.BACKWARD_WEIGHTS, s[0], s[1], s[2], s[3], gw.size(0), conv, gb != null);
        run(key, x, gy, gw, gb);
    }

    private static void run(Key key, INDArray... arrays) {
        OneDnnPrimitive.run(key, () -> create(key), arrays);
    }

    private static OneDnnPrimitive create(Key key) {
        dnnl_memory_desc_t src = OneDnn.desc(key.src(), dnnl_nchw);
        dnnl_memory_desc_t weights = OneDnn.desc(key.weights(), dnnl_oihw);
        dnnl_memory_desc_t dst = OneDnn.desc(key.dst(), dnnl_nchw);
        dnnl_memory_desc_t bias = key.bias() ? OneDnn.desc(new long[]{key.o()}, dnnl_x) : null;
        dnnl_primitive_desc forward = describe(key, Kind.FORWARD, null);
        if (key.kind() == Kind.FORWARD) {
            List<OneDnn.Port> ports = new ArrayList<>();
            ports.add(new OneDnn.Port(DNNL_ARG_SRC, false, src, query(forward, dnnl_query_src_md)));
            ports.add(new OneDnn.Port(DNNL_ARG_WEIGHTS, false, weights, query(forward, dnnl_query_weights_md)));
            if (bias != null) {
                ports.add(new OneDnn.Port(DNNL_ARG_BIAS, false, bias, bias));
            }
            ports.add(new OneDnn.Port(DNNL_ARG_DST, true, dst, query(forward, dnnl_query_dst_md)));
            return new OneDnnPrimitive(forward, ports);
        }
        dnnl_primitive_desc pd;
        try {
            pd = describe(key, key.kind(), forward);
        } finally {
            dnnl_primitive_desc_destroy(forward);
        }
        List<OneDnn.Port> ports = new ArrayList<>();
        if (key.kind() == Kind.BACKWARD_DATA) {
            ports.add(new OneDnn.Port(DNNL_ARG_DIFF_DST, false, dst, query(pd, dnnl_query_diff_dst_md)));
            ports.add(new OneDnn.Port(DNNL_ARG_WEIGHTS, false, weights, query(pd, dnnl_query_weights_md)));
            ports.add(new OneDnn.Port(DNNL_ARG_DIFF_SRC, true, src, query(pd, dnnl_query_diff_src_md)));
        } else {
            ports.add(new OneDnn.Port(DNNL_ARG_SRC, false, src, query(pd, dnnl_query_src_md)));
            ports.add(new OneDnn.Port(DNNL_ARG_DIFF_DST, false, dst, query(pd, dnnl_query_diff_dst_md)));
            ports.add(new OneDnn.Port(DNNL_ARG_DIFF_WEIGHTS, true, weights,
                    query(pd, dnnl_query_diff_weights_md)));
            if (bias != null) {
                ports.add(new OneDnn.Port(DNNL_ARG_DIFF_BIAS, true, bias, bias));
            }
        }
        return new OneDnnPrimitive(pd, ports);
    }

    /** The descriptor of {@code kind} for {@code key}'s shapes, layouts left to oneDNN. */
    private static dnnl_primitive_desc describe(Key key, Kind kind, dnnl_primitive_desc hint) {
        NativeOps.Conv g = key.conv();
        long[] strides = {g.sh(), g.sw()};
        long[] dilates = {g.dh() - 1, g.dw() - 1};
        long[] padding = {g.ph(), g.pw()};
        // the far side gets what the floor output size leaves over, as libnd4j and PyTorch compute it
        long[] dst = key.dst();
        long[] paddingR = {
                (dst[2] - 1) * g.sh() + (long) g.dh() * (g.kh() - 1) + 1 - key.h() - g.ph(),
                (dst[3] - 1) * g.sw() + (long) g.dw() * (g.kw() - 1) + 1 - key.w() - g.pw()};
        dnnl_memory_desc_t src = OneDnn.desc(key.src(), dnnl_format_tag_any);
        dnnl_memory_desc_t weights = OneDnn.desc(key.weights(), dnnl_format_tag_any);
        dnnl_memory_desc_t out = OneDnn.desc(dst, dnnl_format_tag_any);
        dnnl_memory_desc_t bias = key.bias() ? OneDnn.desc(new long[]{key.o()}, dnnl_x) : null;
        dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
        String what = "describing a " + kind.name().toLowerCase(java.util.Locale.ROOT) + " convolution of "
                + java.util.Arrays.toString(key.src()) + " with " + java.util.Arrays.toString(key.weights());
        switch (kind) {
            case FORWARD -> OneDnn.check(dnnl_dilated_convolution_forward_desc_init(cd, dnnl_forward_training,
                    dnnl_convolution_direct, src, weights, bias, out, strides, dilates, padding, paddingR), what);
            case BACKWARD_DATA -> OneDnn.check(dnnl_dilated_convolution_backward_data_desc_init(cd,
                    dnnl_convolution_direct, src, weights, out, strides, dilates, padding, paddingR), what);
            case BACKWARD_WEIGHTS -> OneDnn.check(dnnl_dilated_convolution_backward_weights_desc_init(cd,
                    dnnl_convolution_direct, src, weights, bias, out, strides, dilates, padding, paddingR), what);
        }
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        OneDnn.check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(cd), null, OneDnn.engine(), hint),
                what);
        return pd;
    }

    private static dnnl_memory_desc_t query(dnnl_primitive_desc pd, int what) {
        return dnnl_primitive_desc_query_md(pd, what, 0);
    }
}
