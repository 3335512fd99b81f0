package io.purifier.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Turns 8-bit pixel bytes into the {@code [N, C, H, W]} float tensors in [0, 1] that image sets hold. */
final class PixelTensors {

    /** Floats converted per chunk, so that a large dataset never needs a heap float array of its full size. */
    private static final int CHUNK = 1 << 20;

    private PixelTensors() {
    }

    /**
     * Creates a FLOAT tensor of the given shape from unsigned bytes in C order, dividing by 255.
     *
     * @param pixels exactly {@code n * c * h * w} bytes, read as unsigned values 0..255
     */
    static INDArray fromUnsignedBytes(byte[] pixels, int n, int c, int h, int w) {
        return fromUnsignedBytes(pixels, 0, n, c, h, w);
    }

    /** Like {@link #fromUnsignedBytes(byte[], int, int, int, int)}, reading from {@code offset} onwards. */
    static INDArray fromUnsignedBytes(byte[] pixels, int offset, int n, int c, int h, int w) {
        long total = (long) n * c * h * w;
        if (offset + total > pixels.length) {
            throw new IllegalArgumentException("need " + total + " bytes from offset " + offset + ", have " + pixels.length);
        }
        INDArray out = Nd4j.create(DataType.FLOAT, n, c, h, w);
        if (total == 0) {
            return out;
        }
        FloatBuffer target = out.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        float[] chunk = new float[(int) Math.min(CHUNK, total)];
        for (long start = 0; start < total; start += chunk.length) {
            int len = (int) Math.min(chunk.length, total - start);
            int base = (int) (offset + start);
            for (int i = 0; i < len; i++) {
                chunk[i] = (pixels[base + i] & 0xFF) / 255f;
            }
            target.put(chunk, 0, len);
        }
        return out;
    }

    /** Creates a FLOAT tensor of the given shape from floats in C order (already in [0, 1]). */
    static INDArray fromFloats(float[] values, int n, int c, int h, int w) {
        if (n == 0) {
            return Nd4j.create(DataType.FLOAT, 0, c, h, w);
        }
        return Nd4j.create(values, new long[] {n, c, h, w}, 'c');
    }
}
