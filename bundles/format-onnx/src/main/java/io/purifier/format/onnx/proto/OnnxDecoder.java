package io.purifier.format.onnx.proto;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the subset of {@code onnx.proto} (IR version 3 to 9) that describes an inference graph: the model header,
 * operator sets, metadata, nodes with their attributes, initializers and the graph's inputs and outputs. Unknown
 * fields are skipped, as protobuf requires; tensor data stays a slice of the input buffer.
 */
public final class OnnxDecoder {

    private OnnxDecoder() {
    }

    /**
     * Decodes a serialized {@code ModelProto}.
     *
     * @throws ProtoException when the bytes are not a well-formed message or hold no graph
     */
    public static OnnxModel model(ByteBuffer bytes) {
        ProtoReader r = new ProtoReader(bytes);
        long ir = 0;
        Map<String, Long> opsets = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        String producer = "";
        String producerVersion = "";
        OnnxGraph graph = null;
        while (r.hasMore()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> ir = varint(r, tag);
                case 2 -> producer = string(r, tag);
                case 3 -> producerVersion = string(r, tag);
                case 7 -> graph = graph(message(r, tag));
                case 8 -> opset(message(r, tag), opsets);
                case 14 -> entry(message(r, tag), metadata);
                default -> r.skip(tag);
            }
        }
        if (graph == null) {
            throw new ProtoException("the model has no graph");
        }
        return new OnnxModel(ir, opsets, producer, producerVersion, graph, metadata);
    }

    private static void opset(ProtoReader r, Map<String, Long> opsets) {
        String domain = "";
        long version = 0;
        while (r.hasMore()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> domain = string(r, tag);
                case 2 -> version = varint(r, tag);
                default -> r.skip(tag);
            }
        }
        opsets.put(domain, version);
    }

    private static void entry(ProtoReader r, Map<String, String> into) {
        String key = "";
        String value = "";
        while (r.hasMore()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> key = string(r, tag);
                case 2 -> value = string(r, tag);
                default -> r.skip(tag);
            }
        }
        into.put(key, value);
    }

    static OnnxGraph graph(ProtoReader r) {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        List<OnnxTensor> initializers = new ArrayList<>();
        List<OnnxValueInfo> inputs = new ArrayList<>();
        List<OnnxValueInfo> outputs = new ArrayList<>();
        int sparse = 0;
        while (r.hasMore()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> nodes.add(node(message(r, tag)));
                case 2 -> name = string(r, tag);
                case 5 -> initializers.add(tensor(message(r, tag)));
                case 11 -> inputs.add(valueInfo(message(r, tag)));
                case 12 -> outputs.add(valueInfo(message(r, tag)));
                case 15 -> {
                    r.skip(tag);
                    sparse++;
                }
                default -> r.skip(tag);
            }
        }
        return new OnnxGraph(name, nodes, initializers, inputs, outputs, sparse);
    }

    private static OnnxNode node(ProtoReader r) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, OnnxAttribute> attributes = new LinkedHashMap<>();
        String name = "";
        String op = "";
        String domain = "";
        while (r.hasMore()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> inputs.add(string(r, tag));
                case 2 -> outputs.add(string(r, tag));
                case 3 -> name = string(r, tag);
                case 4 -> op = string(r, tag);
                case 5 -> {
                    OnnxAttribute a = attribute(message(r, tag));
                    attributes.put(a.name(), a);
                }
                case 7 -> domain = string(r, tag);
                default -> r.skip(tag);
            }
        }
        return new OnnxNode(name, op, domain, inputs, outputs, attributes);
    }

    private static OnnxAttribute attribute(ProtoReader r) {
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        String s = null;
        OnnxTensor t = null;
        FloatList floats = new FloatList();
        LongList ints = new LongList();
        List<String> strings = new ArrayList<>();
        while (r.hasMore()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> name = string(r, tag);
                case 2 -> {
                    r.expect(tag, ProtoReader.FIXED32);
                    f = Float.intBitsToFloat(r.fixed32());
                }
                case 3 -> i = varint(r, tag);
                case 4 -> s = string(r, tag);
                case 5 -> t = tensor(message(r, tag));
                case 7 -> r.floats(tag, floats);
                case 8 -> r.varints(tag, ints);
                case 9 -> strings.add(string(r, tag));
                case 20 -> type = (int) varint(r, tag);
                default -> r.skip(tag);
            }
        }
        return new OnnxAttribute(name, type, f, i, s, t, floats.toArray(), ints.toArray(), strings);
    }

    static OnnxTensor tensor(ProtoReader r) {
        LongList dims = new LongList();
        int type = 0;
        String name = "";
        ByteBuffer raw = null;
        FloatList floats = null;
        DoubleList doubles = null;
        LongList longs = null;
        boolean external = false;
        while (r.hasMore()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> r.varints(tag, dims);
                case 2 -> type = (int) varint(r, tag);
                case 3 -> throw r.error("segmented tensors are not supported");
                case 4 -> r.floats(tag, floats = floats == null ? new FloatList() : floats);
                case 5, 7, 11 -> r.varints(tag, longs = longs == null ? new LongList() : longs);
                case 8 -> name = string(r, tag);
                case 9 -> {
                    r.expect(tag, ProtoReader.LENGTH);
                    raw = r.bytes();
                }
                case 10 -> r.doubles(tag, doubles = doubles == null ? new DoubleList() : doubles);
                case 14 -> external = varint(r, tag) == 1;
                default -> r.skip(tag);
            }
        }
        return new OnnxTensor(name, dims.toArray(), type, raw, floats == null ? null : floats.toArray(),
                doubles == null ? null : doubles.toArray(), longs == null ? null : longs.toArray(), external);
    }

    private static OnnxValueInfo valueInfo(ProtoReader r) {
        String name = "";
        int elemType = 0;
        List<OnnxValueInfo.Dim> dims = new ArrayList<>();
        while (r.hasMore()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> name = string(r, tag);
                case 2 -> {
                    ProtoReader type = message(r, tag);
                    while (type.hasMore()) {
                        int t = type.tag();
                        if (ProtoReader.field(t) == 1) {
                            elemType = tensorType(message(type, t), dims);
                        } else {
                            type.skip(t);
                        }
                    }
                }
                default -> r.skip(tag);
            }
        }
        return new OnnxValueInfo(name, elemType, dims);
    }

    private static int tensorType(ProtoReader r, List<OnnxValueInfo.Dim> dims) {
        int elemType = 0;
        while (r.hasMore()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> elemType = (int) varint(r, tag);
                case 2 -> {
                    ProtoReader shape = message(r, tag);
                    while (shape.hasMore()) {
                        int t = shape.tag();
                        if (ProtoReader.field(t) == 1) {
                            dims.add(dim(message(shape, t)));
                        } else {
                            shape.skip(t);
                        }
                    }
                }
                default -> r.skip(tag);
            }
        }
        return elemType;
    }

    private static OnnxValueInfo.Dim dim(ProtoReader r) {
        long value = -1;
        String param = null;
        while (r.hasMore()) {
            int tag = r.tag();
            switch (ProtoReader.field(tag)) {
                case 1 -> value = varint(r, tag);
                case 2 -> param = string(r, tag);
                default -> r.skip(tag);
            }
        }
        return new OnnxValueInfo.Dim(value, param);
    }

    private static long varint(ProtoReader r, int tag) {
        r.expect(tag, ProtoReader.VARINT);
        return r.varint();
    }

    private static String string(ProtoReader r, int tag) {
        r.expect(tag, ProtoReader.LENGTH);
        return r.string();
    }

    private static ProtoReader message(ProtoReader r, int tag) {
        r.expect(tag, ProtoReader.LENGTH);
        return r.message();
    }
}
