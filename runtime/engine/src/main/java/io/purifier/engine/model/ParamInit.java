package io.purifier.engine.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * How one parameter is initialised. Random values depend only on the model seed and the parameter name, so
 * re-initialising a parameter with the same seed reproduces exactly what the architecture created (a "seeded
 * twin"), independent of creation order.
 *
 * @param kind  the distribution
 * @param scale the bound of {@link Kind#UNIFORM}, the std of {@link Kind#NORMAL} or the value of
 *              {@link Kind#CONSTANT}; unused by {@link Kind#IDENTITY}
 */
public record ParamInit(Kind kind, double scale) {

    /** Initialiser families. */
    public enum Kind {
        /** U(-scale, scale). */
        UNIFORM,
        /** N(0, scale²). */
        NORMAL,
        /** Every element equals scale. */
        CONSTANT,
        /** Identity map: {@code W[o, i, centre, centre] = (o == i)} for a conv, or {@code W[i, o] = (i == o)} for a dense layer. */
        IDENTITY
    }

    /**
     * PyTorch's default for {@code Conv2d}/{@code Linear} weights and biases: {@code kaiming_uniform_(a=sqrt(5))}
     * for weights and U(±1/sqrt(fanIn)) for biases, which both reduce to U(±1/sqrt(fanIn)).
     */
    public static ParamInit pytorchDefault(long fanIn) {
        return new ParamInit(Kind.UNIFORM, 1.0 / Math.sqrt(fanIn));
    }

    /** He-normal ("Kaiming normal", fan-in, ReLU gain): N(0, 2/fanIn). */
    public static ParamInit kaimingNormal(long fanIn) {
        return new ParamInit(Kind.NORMAL, Math.sqrt(2.0 / fanIn));
    }

    /** A constant. */
    public static ParamInit constant(double value) {
        return new ParamInit(Kind.CONSTANT, value);
    }

    /** The identity map. */
    public static ParamInit identity() {
        return new ParamInit(Kind.IDENTITY, 1.0);
    }

    /**
     * Draws the values.
     *
     * @param shape     the parameter shape
     * @param dataType  the parameter data type
     * @param modelSeed the model seed
     * @param paramName the parameter's stable name
     */
    public INDArray sample(long[] shape, DataType dataType, long modelSeed, String paramName) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] values = new double[Math.toIntExact(n)];
        switch (kind) {
            case UNIFORM -> {
                SplittableRandom rng = new SplittableRandom(seedFor(modelSeed, paramName));
                for (int i = 0; i < values.length; i++) {
                    values[i] = (rng.nextDouble() * 2 - 1) * scale;
                }
            }
            case NORMAL -> {
                SplittableRandom rng = new SplittableRandom(seedFor(modelSeed, paramName));
                for (int i = 0; i < values.length; i += 2) {
                    double u1 = 1.0 - rng.nextDouble();
                    double u2 = rng.nextDouble();
                    double r = Math.sqrt(-2 * Math.log(u1));
                    values[i] = r * Math.cos(2 * Math.PI * u2) * scale;
                    if (i + 1 < values.length) {
                        values[i + 1] = r * Math.sin(2 * Math.PI * u2) * scale;
                    }
                }
            }
            case CONSTANT -> java.util.Arrays.fill(values, scale);
            case IDENTITY -> fillIdentity(values, shape);
            default -> throw new IllegalStateException("unhandled kind " + kind);
        }
        return Nd4j.create(values, shape, DataType.DOUBLE).castTo(dataType);
    }

    private static void fillIdentity(double[] values, long[] shape) {
        if (shape.length == 4) {
            int out = (int) shape[0];
            int in = (int) shape[1];
            int kh = (int) shape[2];
            int kw = (int) shape[3];
            for (int c = 0; c < Math.min(out, in); c++) {
                values[((c * in + c) * kh + kh / 2) * kw + kw / 2] = 1.0;
            }
        } else if (shape.length == 2) {
            int rows = (int) shape[0];
            int cols = (int) shape[1];
            for (int c = 0; c < Math.min(rows, cols); c++) {
                values[c * cols + c] = 1.0;
            }
        } else if (shape.length == 1) {
            java.util.Arrays.fill(values, 1.0);
        } else {
            throw new IllegalArgumentException("identity init needs a rank 1, 2 or 4 shape, got rank " + shape.length);
        }
    }

    /** The random seed of one parameter: a 64-bit mix of the model seed and an FNV-1a hash of the name. */
    static long seedFor(long modelSeed, String paramName) {
        long h = 0xcbf29ce484222325L;
        for (byte b : paramName.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        long z = modelSeed + 0x9E3779B97F4A7C15L * (h | 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
