package io.purifier.format.onnx.proto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes the protocol-buffers wire format into a growable byte array: varint, fixed-width, string, bytes and
 * embedded-message fields. Embedded messages are written by a writer of their own and copied in with their length.
 */
public final class ProtoWriter {

    private byte[] buf = new byte[256];
    private int size;

    /** Bytes written so far. */
    public int size() {
        return size;
    }

    /** A varint field. */
    public ProtoWriter varint(int field, long value) {
        tag(field, ProtoReader.VARINT);
        rawVarint(value);
        return this;
    }

    /** A 32-bit float field. */
    public ProtoWriter float32(int field, float value) {
        tag(field, ProtoReader.FIXED32);
        int bits = Float.floatToRawIntBits(value);
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[size++] = (byte) (bits >>> (8 * i));
        }
        return this;
    }

    /** A UTF-8 string field (skipped when null). */
    public ProtoWriter string(int field, String value) {
        if (value != null) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** A bytes field. */
    public ProtoWriter bytes(int field, byte[] value) {
        tag(field, ProtoReader.LENGTH);
        rawVarint(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buf, size, value.length);
        size += value.length;
        return this;
    }

    /** A bytes field from a buffer's remaining bytes (its position is not moved). */
    public ProtoWriter bytes(int field, ByteBuffer value) {
        ByteBuffer v = value.duplicate();
        tag(field, ProtoReader.LENGTH);
        rawVarint(v.remaining());
        ensure(v.remaining());
        int n = v.remaining();
        v.get(buf, size, n);
        size += n;
        return this;
    }

    /** An embedded message field. */
    public ProtoWriter message(int field, ProtoWriter message) {
        tag(field, ProtoReader.LENGTH);
        rawVarint(message.size);
        ensure(message.size);
        System.arraycopy(message.buf, 0, buf, size, message.size);
        size += message.size;
        return this;
    }

    /** The encoded bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Writes the encoded bytes to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, size);
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    private void ensure(int more) {
        long needed = (long) size + more;
        if (needed > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("protobuf messages are limited to 2 GB");
        }
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * buf.length)));
        }
    }
}
