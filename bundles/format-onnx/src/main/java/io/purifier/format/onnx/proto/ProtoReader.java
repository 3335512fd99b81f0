package io.purifier.format.onnx.proto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the protocol-buffers wire format from a buffer: tags, varints, fixed-width numbers and length-delimited
 * fields (returned as slices of the buffer, so large tensors are not copied). Every read is bounds-checked; a
 * malformed message is a {@link ProtoException} naming the byte offset.
 */
public final class ProtoReader {

    /** Wire type of varints. */
    public static final int VARINT = 0;
    /** Wire type of 64-bit fixed values. */
    public static final int FIXED64 = 1;
    /** Wire type of length-delimited fields (strings, bytes, messages, packed repeated scalars). */
    public static final int LENGTH = 2;
    /** Wire type of 32-bit fixed values. */
    public static final int FIXED32 = 5;

    private final ByteBuffer buf;
    private final int base;

    /** Reads {@code buf} from its position to its limit. */
    public ProtoReader(ByteBuffer buf) {
        this(buf, 0);
    }

    private ProtoReader(ByteBuffer buf, int base) {
        this.buf = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.base = base;
    }

    /** Whether unread bytes remain. */
    public boolean hasMore() {
        return buf.hasRemaining();
    }

    /** The next tag ({@code field << 3 | wireType}). */
    public int tag() {
        long tag = varint();
        if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
            throw error("invalid field tag " + tag);
        }
        return (int) tag;
    }

    /** The field number of a tag. */
    public static int field(int tag) {
        return tag >>> 3;
    }

    /** The wire type of a tag. */
    public static int wireType(int tag) {
        return tag & 7;
    }

    /** A base-128 varint (up to 10 bytes). */
    public long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!buf.hasRemaining()) {
                throw error("truncated varint");
            }
            byte b = buf.get();
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw error("varint longer than 10 bytes");
    }

    /** A little-endian 32-bit value. */
    public int fixed32() {
        need(4);
        return buf.getInt();
    }

    /** A little-endian 64-bit value. */
    public long fixed64() {
        need(8);
        return buf.getLong();
    }

    /** A length-delimited field as a slice of the buffer (no copy). */
    public ByteBuffer bytes() {
        long length = varint();
        if (length < 0 || length > buf.remaining()) {
            throw error("field length " + length + " exceeds the " + buf.remaining() + " bytes left");
        }
        ByteBuffer slice = buf.slice().limit((int) length);
        buf.position(buf.position() + (int) length);
        return slice;
    }

    /** A length-delimited field as a reader of its own (an embedded message or a packed array). */
    public ProtoReader message() {
        int at = offset();
        ByteBuffer slice = bytes();
        return new ProtoReader(slice, at);
    }

    /** A UTF-8 string field. */
    public String string() {
        ByteBuffer b = bytes();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Skips a field's value. */
    public void skip(int tag) {
        switch (wireType(tag)) {
            case VARINT -> varint();
            case FIXED64 -> fixed64();
            case LENGTH -> bytes();
            case FIXED32 -> fixed32();
            default -> throw error("unsupported wire type " + wireType(tag) + " of field " + field(tag));
        }
    }

    /** Reads one or many (packed) varints of a repeated field into {@code out}. */
    public void varints(int tag, LongList out) {
        if (wireType(tag) == LENGTH) {
            ProtoReader packed = message();
            while (packed.hasMore()) {
                out.add(packed.varint());
            }
        } else {
            expect(tag, VARINT);
            out.add(varint());
        }
    }

    /** Reads one or many (packed) 32-bit floats of a repeated field into {@code out}. */
    public void floats(int tag, FloatList out) {
        if (wireType(tag) == LENGTH) {
            ProtoReader packed = message();
            if (packed.buf.remaining() % 4 != 0) {
                throw error("packed floats of " + packed.buf.remaining() + " bytes");
            }
            while (packed.hasMore()) {
                out.add(Float.intBitsToFloat(packed.fixed32()));
            }
        } else {
            expect(tag, FIXED32);
            out.add(Float.intBitsToFloat(fixed32()));
        }
    }

    /** Reads one or many (packed) 64-bit doubles of a repeated field into {@code out}. */
    public void doubles(int tag, DoubleList out) {
        if (wireType(tag) == LENGTH) {
            ProtoReader packed = message();
            if (packed.buf.remaining() % 8 != 0) {
                throw error("packed doubles of " + packed.buf.remaining() + " bytes");
            }
            while (packed.hasMore()) {
                out.add(Double.longBitsToDouble(packed.fixed64()));
            }
        } else {
            expect(tag, FIXED64);
            out.add(Double.longBitsToDouble(fixed64()));
        }
    }

    /** Checks a tag's wire type. */
    public void expect(int tag, int wireType) {
        if (wireType(tag) != wireType) {
            throw error("field " + field(tag) + " has wire type " + wireType(tag) + ", expected " + wireType);
        }
    }

    /** An error at the current position. */
    public ProtoException error(String message) {
        return new ProtoException(message + " at byte " + offset());
    }

    private int offset() {
        return base + buf.position();
    }

    private void need(int n) {
        if (buf.remaining() < n) {
            throw error("truncated field (" + n + " bytes needed, " + buf.remaining() + " left)");
        }
    }
}
