package io.purifier.format.onnx.proto;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protobuf reader and writer, and the ONNX message codec built on them. */
class ProtoCodecTest {

    @Test
    void varints_fixed_values_and_strings_round_trip() {
        ProtoWriter w = new ProtoWriter().varint(1, 0).varint(2, 300).varint(3, -1).varint(4, Long.MAX_VALUE)
                .float32(5, 1.5f).string(6, "layer4.1.conv1");
        ProtoReader r = new ProtoReader(ByteBuffer.wrap(w.toByteArray()));
        long[] expected = {0, 300, -1, Long.MAX_VALUE};
        for (long e : expected) {
            int tag = r.tag();
            assertEquals(ProtoReader.VARINT, ProtoReader.wireType(tag));
            assertEquals(e, r.varint());
        }
        assertEquals(5, ProtoReader.field(r.tag()));
        assertEquals(1.5f, Float.intBitsToFloat(r.fixed32()));
        r.tag();
        assertEquals("layer4.1.conv1", r.string());
        assertTrue(!r.hasMore());
    }

    @Test
    void repeated_scalars_are_read_packed_and_unpacked() {
        ProtoWriter packed = new ProtoWriter();
        ProtoWriter inner = new ProtoWriter();
        ProtoWriter unpackedBytes = new ProtoWriter().varint(1, 7).varint(1, 8);
        byte[] raw = {3, 4, (byte) 0x80, 1};
        ProtoReader r = new ProtoReader(ByteBuffer.wrap(packed.bytes(1, raw).toByteArray()));
        LongList values = new LongList();
        r.varints(r.tag(), values);
        assertArrayEquals(new long[]{3, 4, 128}, values.toArray());
        ProtoReader u = new ProtoReader(ByteBuffer.wrap(unpackedBytes.toByteArray()));
        LongList more = new LongList();
        while (u.hasMore()) {
            u.varints(u.tag(), more);
        }
        assertArrayEquals(new long[]{7, 8}, more.toArray());
        assertEquals(0, inner.size());
    }

    @Test
    void malformed_bytes_are_named_with_their_offset() {
        var truncated = assertThrows(ProtoException.class,
                () -> new ProtoReader(ByteBuffer.wrap(new byte[]{0x0a, 0x05, 1, 2})).message());
        assertTrue(truncated.getMessage().contains("field length"), truncated.getMessage());
        ProtoReader r = new ProtoReader(ByteBuffer.wrap(new byte[]{0x08, (byte) 0x80}));
        r.tag();
        var varint = assertThrows(ProtoException.class, r::varint);
        assertTrue(varint.getMessage().contains("truncated varint at byte 2"), varint.getMessage());
        var wire = assertThrows(ProtoException.class, () -> {
            ProtoReader bad = new ProtoReader(ByteBuffer.wrap(new byte[]{0x0b}));
            bad.skip(bad.tag());
        });
        assertTrue(wire.getMessage().contains("wire type 3"), wire.getMessage());
    }

    @Test
    void an_onnx_model_round_trips_through_encoder_and_decoder() {
        OnnxTensor w = OnnxTensor.ofFloats("conv.weight", new long[]{2, 1, 1, 1}, new float[]{0.5f, -2f});
        OnnxNode conv = OnnxNode.of("/conv/Conv", "Conv", List.of("x", "conv.weight"), List.of("y"),
                OnnxAttribute.ofInts("pads", 0, 0, 0, 0), OnnxAttribute.ofFloat("alpha", 0.25f),
                OnnxAttribute.ofString("auto_pad", "NOTSET"), OnnxAttribute.ofInt("group", 1));
        OnnxValueInfo in = new OnnxValueInfo("x", OnnxTensor.FLOAT, List.of(new OnnxValueInfo.Dim(-1, "batch"),
                new OnnxValueInfo.Dim(1, null), new OnnxValueInfo.Dim(3, null), new OnnxValueInfo.Dim(3, null)));
        OnnxValueInfo out = new OnnxValueInfo("y", OnnxTensor.FLOAT, List.of(new OnnxValueInfo.Dim(-1, "batch")));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("purifier.input", "normalized");
        OnnxModel model = new OnnxModel(7, Map.of("", 13L), "purifier", "x", new OnnxGraph("g", List.of(conv), List.of(w),
                List.of(in), List.of(out), 0), meta);
        OnnxModel back = OnnxDecoder.model(ByteBuffer.wrap(OnnxEncoder.model(model).toByteArray()));
        assertEquals(7, back.irVersion());
        assertEquals(13, back.defaultOpset());
        assertEquals(meta, back.metadata());
        OnnxNode n = back.graph().nodes().get(0);
        assertEquals("/conv/Conv", n.name());
        assertEquals(List.of("x", "conv.weight"), n.inputs());
        assertArrayEquals(new long[]{0, 0, 0, 0}, n.attributes().get("pads").ints());
        assertEquals(0.25f, n.attributes().get("alpha").f());
        assertEquals("NOTSET", n.attributes().get("auto_pad").s());
        assertEquals(1, n.attributes().get("group").i());
        assertArrayEquals(new float[]{0.5f, -2f}, back.graph().initializers().get(0).toFloats());
        assertEquals("batch", back.graph().inputs().get(0).dims().get(0).param());
        assertEquals(3, back.graph().inputs().get(0).dims().get(3).value());
    }

    @Test
    void tensors_convert_between_element_types() {
        OnnxTensor longs = OnnxTensor.ofLongs("s", new long[]{3}, new long[]{1, -1, 7});
        assertArrayEquals(new long[]{1, -1, 7}, longs.toLongs());
        assertArrayEquals(new double[]{1, -1, 7}, longs.toDoubles());
        OnnxTensor half = new OnnxTensor("h", new long[]{2}, OnnxTensor.FLOAT16,
                ByteBuffer.wrap(new byte[]{0x00, 0x3c, 0x00, (byte) 0xc0}), null, null, null, false);
        assertArrayEquals(new double[]{1.0, -2.0}, half.toDoubles());
        OnnxTensor typed = new OnnxTensor("f", new long[]{2}, OnnxTensor.FLOAT, null, new float[]{1f, 2f}, null, null, false);
        assertArrayEquals(new float[]{1f, 2f}, typed.toFloats());
        var e = assertThrows(ProtoException.class, () -> new OnnxTensor("f", new long[]{3}, OnnxTensor.FLOAT, null,
                new float[]{1f}, null, null, false).toFloats());
        assertTrue(e.getMessage().contains("tensor 'f' of shape [3] has 1 values"), e.getMessage());
    }
}
