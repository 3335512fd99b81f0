package io.purifier.engine.tensor;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import sun.misc.Unsafe;

import java.lang.reflect.Field;

/**
 * Element access to the off-heap data of a dense, C-ordered FLOAT or DOUBLE array, for the engine's Java kernels.
 * One kernel serves both types: FLOAT is the production type, DOUBLE is used by finite-difference gradient checks;
 * each call site sees at most these two classes, so the JIT inlines the access.
 *
 * <p>Access goes straight to the native memory ({@code sun.misc.Unsafe}, no bounds checks): NIO views of the same
 * memory were 3–4x slower here. The buffer keeps its array reachable while a kernel runs. Kernels must avoid
 * data-dependent branches in their inner loops (use {@link Math#max} and arithmetic masks): a mispredicted branch per
 * element made a ReLU 10x slower.</p>
 *
 * <p>Indices are element indices relative to the array's first element (its offset is applied here).</p>
 */
public abstract sealed class Buf permits Buf.Floats, Buf.Doubles {

    static final Unsafe UNSAFE = unsafe();

    private final INDArray owner;
    final long address;
    private final int length;

    Buf(INDArray owner, long address, int length) {
        this.owner = owner;
        this.address = address;
        this.length = length;
    }

    /** Number of elements. */
    public final int length() {
        return length;
    }

    /** The array this buffer reads (kept reachable). */
    public final INDArray array() {
        return owner;
    }

    /** Element {@code i}. */
    public abstract double get(int i);

    /** Sets element {@code i}. */
    public abstract void set(int i, double v);

    /** Adds {@code v} to element {@code i}. */
    public final void add(int i, double v) {
        set(i, get(i) + v);
    }

    /**
     * A view of {@code a}'s elements.
     *
     * @throws IllegalArgumentException when {@code a} is not C-ordered and contiguous, or not FLOAT/DOUBLE
     */
    public static Buf of(INDArray a) {
        if (!Tensors.isDense(a)) {
            throw new IllegalArgumentException("kernel arrays must be dense and C-ordered, got shape "
                    + java.util.Arrays.toString(a.shape()) + " strides " + java.util.Arrays.toString(a.stride())
                    + " order " + a.ordering());
        }
        DataBuffer data = a.data();
        int n = Math.toIntExact(a.length());
        // a view's buffer already points at the buffer's own offset; the array may start further in
        long extra = a.offset() - data.offset();
        if (a.dataType() == DataType.FLOAT) {
            return new Floats(a, data.addressPointer().address() + 4L * extra, n);
        }
        if (a.dataType() == DataType.DOUBLE) {
            return new Doubles(a, data.addressPointer().address() + 8L * extra, n);
        }
        throw new IllegalArgumentException("kernel arrays must be FLOAT or DOUBLE, got " + a.dataType());
    }

    private static Unsafe unsafe() {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** FLOAT data. */
    public static final class Floats extends Buf {
        Floats(INDArray owner, long address, int n) {
            super(owner, address, n);
        }

        @Override
        public double get(int i) {
            return UNSAFE.getFloat(address + 4L * i);
        }

        @Override
        public void set(int i, double v) {
            UNSAFE.putFloat(address + 4L * i, (float) v);
        }
    }

    /** DOUBLE data. */
    public static final class Doubles extends Buf {
        Doubles(INDArray owner, long address, int n) {
            super(owner, address, n);
        }

        @Override
        public double get(int i) {
            return UNSAFE.getDouble(address + 8L * i);
        }

        @Override
        public void set(int i, double v) {
            UNSAFE.putDouble(address + 8L * i, v);
        }
    }
}
