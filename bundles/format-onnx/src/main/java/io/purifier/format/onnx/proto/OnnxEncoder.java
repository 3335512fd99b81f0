package io.purifier.format.onnx.proto;

import java.util.Map;

/**
 * Encodes an {@link OnnxModel} as a serialized {@code ModelProto}, the counterpart of {@link OnnxDecoder}: header,
 * operator sets, metadata, nodes and attributes, initializers (raw little-endian data, or a reference to an external
 * file) and typed graph inputs and outputs.
 */
public final class OnnxEncoder {

    private OnnxEncoder() {
    }

    /** The model's bytes. */
    public static ProtoWriter model(OnnxModel model) {
        ProtoWriter w = new ProtoWriter();
        w.varint(1, model.irVersion());
        w.string(2, model.producerName());
        w.string(3, model.producerVersion());
        w.message(7, graph(model.graph()));
        for (Map.Entry<String, Long> opset : model.opsets().entrySet()) {
            w.message(8, new ProtoWriter().string(1, opset.getKey()).varint(2, opset.getValue()));
        }
        for (Map.Entry<String, String> e : model.metadata().entrySet()) {
            w.message(14, new ProtoWriter().string(1, e.getKey()).string(2, e.getValue()));
        }
        return w;
    }

    private static ProtoWriter graph(OnnxGraph g) {
        ProtoWriter w = new ProtoWriter();
        for (OnnxNode n : g.nodes()) {
            w.message(1, node(n));
        }
        w.string(2, g.name());
        for (OnnxTensor t : g.initializers()) {
            w.message(5, tensor(t));
        }
        for (OnnxValueInfo v : g.inputs()) {
            w.message(11, valueInfo(v));
        }
        for (OnnxValueInfo v : g.outputs()) {
            w.message(12, valueInfo(v));
        }
        return w;
    }

    private static ProtoWriter node(OnnxNode n) {
        ProtoWriter w = new ProtoWriter();
        n.inputs().forEach(i -> w.string(1, i));
        n.outputs().forEach(o -> w.string(2, o));
        w.string(3, n.name());
        w.string(4, n.opType());
        for (OnnxAttribute a : n.attributes().values()) {
            w.message(5, attribute(a));
        }
        if (!n.domain().isEmpty()) {
            w.string(7, n.domain());
        }
        return w;
    }

    private static ProtoWriter attribute(OnnxAttribute a) {
        ProtoWriter w = new ProtoWriter().string(1, a.name());
        switch (a.type()) {
            case OnnxAttribute.FLOAT -> w.float32(2, a.f());
            case OnnxAttribute.INT -> w.varint(3, a.i());
            case OnnxAttribute.STRING -> w.string(4, a.s());
            case OnnxAttribute.TENSOR -> w.message(5, tensor(a.t()));
            case OnnxAttribute.FLOATS -> {
                for (float f : a.floats()) {
                    w.float32(7, f);
                }
            }
            case OnnxAttribute.INTS -> {
                for (long i : a.ints()) {
                    w.varint(8, i);
                }
            }
            case OnnxAttribute.STRINGS -> a.strings().forEach(s -> w.string(9, s));
            default -> throw new IllegalArgumentException("cannot encode attribute " + a);
        }
        return w.varint(20, a.type());
    }

    static ProtoWriter tensor(OnnxTensor t) {
        if (t.raw() == null && !t.external()) {
            throw new IllegalArgumentException("tensors are encoded from raw data: " + t);
        }
        ProtoWriter w = new ProtoWriter();
        for (long d : t.dims()) {
            w.varint(1, d);
        }
        w.varint(2, t.dataType());
        w.string(8, t.name());
        if (t.external()) {
            w.message(13, new ProtoWriter().string(1, "location").string(2, t.name() + ".bin"));
            w.varint(14, 1);
        } else {
            w.bytes(9, t.raw());
        }
        return w;
    }

    private static ProtoWriter valueInfo(OnnxValueInfo v) {
        ProtoWriter shape = new ProtoWriter();
        for (OnnxValueInfo.Dim d : v.dims()) {
            ProtoWriter dim = new ProtoWriter();
            if (d.fixed()) {
                dim.varint(1, d.value());
            } else if (d.param() != null) {
                dim.string(2, d.param());
            }
            shape.message(1, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, v.elemType()).message(2, shape);
        return new ProtoWriter().string(1, v.name()).message(2, new ProtoWriter().message(1, tensorType));
    }
}
