package io.purifier.format.onnx.proto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An ONNX {@code TensorProto}: name, shape, element type and data, either as little-endian {@code raw_data} (a
 * slice of the file, not copied) or as one of the typed value lists. Accessors convert to {@code float},
 * {@code double} or {@code long} values and check that the data fits the shape.
 *
 * @param name     the tensor's name (an initializer's value name)
 * @param dims     the shape ({@code []} for a scalar)
 * @param dataType ONNX element type ({@link #FLOAT}, {@link #INT64}, ...)
 * @param raw      {@code raw_data}, or null
 * @param floats   {@code float_data}, or null
 * @param doubles  {@code double_data}, or null
 * @param longs    {@code int64_data}, {@code int32_data} or {@code uint64_data} values, or null
 * @param external whether the data lives in an external file ({@code data_location = EXTERNAL})
 */
public record OnnxTensor(String name, long[] dims, int dataType, ByteBuffer raw, float[] floats, double[] doubles,
                         long[] longs, boolean external) {

    /** 32-bit float. */
    public static final int FLOAT = 1;
    /** Unsigned 8-bit integer. */
    public static final int UINT8 = 2;
    /** Signed 8-bit integer. */
    public static final int INT8 = 3;
    /** Unsigned 16-bit integer. */
    public static final int UINT16 = 4;
    /** Signed 16-bit integer. */
    public static final int INT16 = 5;
    /** Signed 32-bit integer. */
    public static final int INT32 = 6;
    /** Signed 64-bit integer. */
    public static final int INT64 = 7;
    /** Boolean. */
    public static final int BOOL = 9;
    /** IEEE half precision. */
    public static final int FLOAT16 = 10;
    /** 64-bit float. */
    public static final int DOUBLE = 11;

    /** A FLOAT tensor stored as raw little-endian data. */
    public static OnnxTensor ofFloats(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new OnnxTensor(name, dims, FLOAT, b, null, null, null, false);
    }

    /** An INT64 tensor stored as raw little-endian data. */
    public static OnnxTensor ofLongs(String name, long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new OnnxTensor(name, dims, INT64, b, null, null, null, false);
    }

    /** The number of elements the shape holds. */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new ProtoException("tensor '" + name + "' has a negative dimension " + Arrays.toString(dims));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Whether the element type is a floating-point type. */
    public boolean isFloatingPoint() {
        return dataType == FLOAT || dataType == DOUBLE || dataType == FLOAT16;
    }

    /** The values as floats (any numeric type). */
    public float[] toFloats() {
        int n = count();
        if (dataType == FLOAT && raw != null) {
            float[] out = new float[n];
            littleEndian().asFloatBuffer().get(out);
            return out;
        }
        if (dataType == FLOAT && floats != null) {
            return check(floats.length, floats);
        }
        double[] d = toDoubles();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    /** The values as doubles (any numeric type). */
    public double[] toDoubles() {
        int n = count();
        double[] out = new double[n];
        if (raw != null) {
            ByteBuffer b = littleEndian();
            for (int i = 0; i < n; i++) {
                out[i] = rawValue(b, i);
            }
            return out;
        }
        if (floats != null) {
            check(floats.length, floats);
            for (int i = 0; i < n; i++) {
                out[i] = floats[i];
            }
        } else if (doubles != null) {
            check(doubles.length, doubles);
            System.arraycopy(doubles, 0, out, 0, n);
        } else if (longs != null) {
            check(longs.length, longs);
            for (int i = 0; i < n; i++) {
                out[i] = dataType == FLOAT16 ? half((int) longs[i]) : longs[i];
            }
        } else if (n > 0) {
            throw new ProtoException("tensor '" + name + "' has no data");
        }
        return out;
    }

    /** The values as longs (integer types; floating-point values must be whole numbers). */
    public long[] toLongs() {
        int n = count();
        if ((dataType == INT64 || dataType == INT32) && raw == null && longs != null) {
            return check(longs.length, longs);
        }
        if (dataType == INT64 && raw != null) {
            long[] out = new long[n];
            littleEndian().asLongBuffer().get(out);
            return out;
        }
        double[] d = toDoubles();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            if (d[i] != Math.rint(d[i])) {
                throw new ProtoException("tensor '" + name + "' must hold whole numbers, got " + d[i]);
            }
            out[i] = (long) d[i];
        }
        return out;
    }

    private int count() {
        if (external) {
            throw new ProtoException("tensor '" + name + "' keeps its data in an external file; save the model with "
                    + "its weights inside the .onnx file (onnx.save(..., save_as_external_data=False))");
        }
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 16) {
            throw new ProtoException("tensor '" + name + "' has " + n + " elements, more than a Java array holds");
        }
        if (raw != null && (long) raw.remaining() != n * width()) {
            throw new ProtoException("tensor '" + name + "' of shape " + Arrays.toString(dims) + " has "
                    + raw.remaining() + " bytes of data, expected " + n * width());
        }
        return (int) n;
    }

    private <T> T check(int length, T values) {
        if (length != elementCount()) {
            throw new ProtoException("tensor '" + name + "' of shape " + Arrays.toString(dims) + " has " + length
                    + " values");
        }
        return values;
    }

    private ByteBuffer littleEndian() {
        return raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    private int width() {
        return switch (dataType) {
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16, FLOAT16 -> 2;
            case INT32, FLOAT -> 4;
            case INT64, DOUBLE -> 8;
            default -> throw new ProtoException("tensor '" + name + "' has element type " + typeName(dataType)
                    + ", which the importer does not read");
        };
    }

    private double rawValue(ByteBuffer b, int i) {
        return switch (dataType) {
            case FLOAT -> b.getFloat(4 * i);
            case DOUBLE -> b.getDouble(8 * i);
            case INT64 -> b.getLong(8 * i);
            case INT32 -> b.getInt(4 * i);
            case INT16 -> b.getShort(2 * i);
            case UINT16 -> b.getShort(2 * i) & 0xffff;
            case FLOAT16 -> half(b.getShort(2 * i) & 0xffff);
            case INT8 -> b.get(i);
            case UINT8, BOOL -> b.get(i) & 0xff;
            default -> throw new ProtoException("tensor '" + name + "' has element type " + typeName(dataType));
        };
    }

    /** IEEE 754 half precision bits to a double. */
    static double half(int bits) {
        int sign = (bits >>> 15) != 0 ? -1 : 1;
        int exp = (bits >>> 10) & 0x1f;
        int frac = bits & 0x3ff;
        if (exp == 0) {
            return sign * Math.scalb((double) frac, -24);
        }
        if (exp == 31) {
            return frac == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        return sign * Math.scalb(1.0 + frac / 1024.0, exp - 15);
    }

    /** A readable name of an ONNX element type. */
    public static String typeName(int dataType) {
        String[] names = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL",
            "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};
        return dataType >= 0 && dataType < names.length ? names[dataType] : "type " + dataType;
    }

    @Override
    public String toString() {
        return "OnnxTensor[" + name + " " + typeName(dataType) + " " + Arrays.toString(dims) + "]";
    }
}
