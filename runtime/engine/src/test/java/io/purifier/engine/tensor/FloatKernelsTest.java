package io.purifier.engine.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The FLOAT paths ({@link FloatKernels}) against the generic kernels on the same FLOAT data: every output bit for bit
 * equal, for channel counts that fill the four side-by-side sums exactly, leave a remainder, or have fewer channels
 * than that, and for data with zeros, negative zeros and wide magnitudes (where a change of summation order would show).
 */
class FloatKernelsTest {

    /** Random FLOAT data {@code [n, c, s]} with exact zeros, negative zeros and values across nine orders of magnitude. */
    private static INDArray data(Random rng, int n, int c, int s) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, n, c, s);
        Buf b = Buf.of(a);
        for (int i = 0; i < b.length(); i++) {
            int kind = rng.nextInt(10);
            double v = kind == 0 ? 0.0 : kind == 1 ? -0.0 : (rng.nextDouble() - 0.3) * Math.pow(10, rng.nextInt(9) - 4);
            b.set(i, v);
        }
        return a;
    }

    private static void assertSameBits(INDArray expected, INDArray actual, String what) {
        Buf e = Buf.of(expected);
        Buf a = Buf.of(actual);
        for (int i = 0; i < e.length(); i++) {
            int eb = Float.floatToRawIntBits((float) e.get(i));
            int ab = Float.floatToRawIntBits((float) a.get(i));
            if (eb != ab) {
                throw new AssertionError(what + ": element " + i + " is " + a.get(i) + ", the generic kernel gives " + e.get(i));
            }
        }
    }

    private static void assertSameBits(double[] expected, double[] actual, String what) {
        long[] e = java.util.Arrays.stream(expected).mapToLong(Double::doubleToRawLongBits).toArray();
        long[] a = java.util.Arrays.stream(actual).mapToLong(Double::doubleToRawLongBits).toArray();
        assertArrayEquals(e, a, what);
    }

    private static double[] doubles(Random rng, int c, double from, double to) {
        double[] d = new double[c];
        for (int i = 0; i < c; i++) {
            d[i] = from + (to - from) * rng.nextDouble();
        }
        return d;
    }

    @ParameterizedTest(name = "[{0}, {1}, {2}]")
    @CsvSource({"128, 8, 784", "3, 1, 7", "5, 3, 49", "4, 13, 16", "2, 64, 1", "9, 5, 9"})
    void per_channel_kernels_equal_the_generic_ones_bit_for_bit(int n, int c, int s) {
        Random rng = new Random(31L * n + 7L * c + s);
        INDArray x = data(rng, n, c, s);
        INDArray g = data(rng, n, c, s);

        double[] m1 = new double[c];
        double[] v1 = new double[c];
        double[] m2 = new double[c];
        double[] v2 = new double[c];
        ChannelKernels.momentsGeneric(Buf.of(x), n, c, s, m1, v1);
        ChannelKernels.moments(Buf.of(x), n, c, s, m2, v2);
        assertSameBits(m1, m2, "moments: means");
        assertSameBits(v1, v2, "moments: variances");

        assertSameBits(ChannelKernels.sumsGeneric(Buf.of(g), n, c, s), ChannelKernels.sums(Buf.of(g), n, c, s), "sums");
        assertSameBits(ChannelKernels.dotsGeneric(Buf.of(g), Buf.of(x), n, c, s),
                ChannelKernels.dots(Buf.of(g), Buf.of(x), n, c, s), "dots");

        double[] invStd = doubles(rng, c, 0.5, 3);
        double[] sg1 = new double[c];
        double[] sgx1 = new double[c];
        double[] sg2 = new double[c];
        double[] sgx2 = new double[c];
        ChannelKernels.normalizedDotsGeneric(Buf.of(g), Buf.of(x), n, c, s, m1, invStd, sg1, sgx1);
        ChannelKernels.normalizedDots(Buf.of(g), Buf.of(x), n, c, s, m1, invStd, sg2, sgx2);
        assertSameBits(sg1, sg2, "normalized dots: sums of g");
        assertSameBits(sgx1, sgx2, "normalized dots: sums of g * xhat");

        double[] scale = doubles(rng, c, -2, 2);
        double[] shift = doubles(rng, c, -1, 1);
        INDArray y1 = Nd4j.createUninitialized(DataType.FLOAT, n, c, s);
        INDArray y2 = Nd4j.createUninitialized(DataType.FLOAT, n, c, s);
        ChannelKernels.affineGeneric(Buf.of(x), Buf.of(y1), n, c, s, scale, shift);
        ChannelKernels.affine(Buf.of(x), Buf.of(y2), n, c, s, scale, shift);
        assertSameBits(y1, y2, "affine");
        ChannelKernels.affineGeneric(Buf.of(x), Buf.of(y1), n, c, s, scale, null);
        ChannelKernels.affine(Buf.of(x), Buf.of(y2), n, c, s, scale, null);
        assertSameBits(y1, y2, "affine without shift");

        double[] gamma = doubles(rng, c, -1.5, 1.5);
        ChannelKernels.batchNormTrainInputGradientGeneric(Buf.of(g), Buf.of(x), Buf.of(y1), n, c, s, m1, invStd, gamma, sg1, sgx1);
        ChannelKernels.batchNormTrainInputGradient(Buf.of(g), Buf.of(x), Buf.of(y2), n, c, s, m1, invStd, gamma, sg1, sgx1);
        assertSameBits(y1, y2, "batch-norm input gradient");
    }

    @ParameterizedTest(name = "[{0}, {1}, {2}x{3}] kernel {4}x{5} stride {6}x{7} pad {8}x{9} dilation {10}x{11}")
    @CsvSource({"4, 1, 28, 28, 3, 3, 1, 1, 1, 1, 1, 1", "3, 2, 9, 7, 3, 3, 2, 2, 1, 1, 1, 1",
            "2, 3, 8, 8, 1, 1, 2, 2, 0, 0, 1, 1", "2, 2, 7, 9, 3, 2, 1, 3, 2, 0, 2, 1",
            "1, 1, 3, 3, 5, 5, 1, 1, 3, 3, 1, 1", "2, 1, 6, 5, 2, 3, 3, 1, 0, 2, 1, 2"})
    void convolution_data_movement_equals_the_generic_kernels_bit_for_bit(int n, int c, int h, int w, int kh, int kw,
                                                                         int sh, int sw, int ph, int pw, int dh,
                                                                         int dw) {
        Random rng = new Random(97L * n + 13L * c + 7L * h + w + 5L * kh + sw);
        int oh = NativeOps.Conv.outSize(h, kh, sh, ph, dh);
        int ow = NativeOps.Conv.outSize(w, kw, sw, pw, dw);
        INDArray x = data(rng, n, c, h * w);
        INDArray cols1 = data(rng, c * kh * kw, n, oh * ow);
        INDArray cols2 = data(rng, c * kh * kw, n, oh * ow);
        ConvKernels.im2colGeneric(Buf.of(x), Buf.of(cols1), n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
        ConvKernels.im2col(Buf.of(x), Buf.of(cols2), n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow);
        assertSameBits(cols1, cols2, "im2col");

        INDArray g = data(rng, n, c, oh * ow);
        INDArray t1 = data(rng, c, n, oh * ow);
        INDArray t2 = data(rng, c, n, oh * ow);
        ConvKernels.channelsFirstGeneric(Buf.of(g), Buf.of(t1), n, c, oh * ow);
        ConvKernels.channelsFirst(Buf.of(g), Buf.of(t2), n, c, oh * ow);
        assertSameBits(t1, t2, "channels first");

        if (kh == 1 && kw == 1 && ph == 0 && pw == 0) {
            INDArray dx1 = data(rng, n, c, h * w);
            INDArray dx2 = data(rng, n, c, h * w);
            ConvKernels.scatterStridedGeneric(Buf.of(t1), Buf.of(dx1), n, c, h, w, oh, ow, sh, sw);
            ConvKernels.scatterStrided(Buf.of(t1), Buf.of(dx2), n, c, h, w, oh, ow, sh, sw);
            assertSameBits(dx1, dx2, "strided scatter");
        }
    }

    @ParameterizedTest(name = "{0} elements")
    @CsvSource({"1", "1000", "100003"})
    void element_kernels_equal_the_generic_ones_bit_for_bit(int length) {
        Random rng = new Random(length);
        INDArray x = data(rng, 1, 1, length);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, 1, 1, length);
        NativeOps.relu(x, y);
        INDArray g = data(rng, 1, 1, length);
        INDArray out1 = Nd4j.createUninitialized(DataType.FLOAT, 1, 1, length);
        INDArray out2 = Nd4j.createUninitialized(DataType.FLOAT, 1, 1, length);

        ElementKernels.reluBackwardGeneric(Buf.of(y), Buf.of(g), Buf.of(out1));
        ElementKernels.reluBackward(Buf.of(y), Buf.of(g), Buf.of(out2));
        assertSameBits(out1, out2, "ReLU backward");

        ElementKernels.addGeneric(Buf.of(x), Buf.of(g), Buf.of(out1));
        ElementKernels.add(Buf.of(x), Buf.of(g), Buf.of(out2));
        assertSameBits(out1, out2, "add");

        ElementKernels.copy(Buf.of(g), Buf.of(out2));
        assertSameBits(g, out2, "copy");
    }

    @ParameterizedTest(name = "in place: {0}")
    @CsvSource({"relu-backward", "add", "affine"})
    void in_place_calls_give_what_separate_outputs_give(String kernel) {
        Random rng = new Random(kernel.hashCode());
        INDArray x = data(rng, 4, 5, 9);
        INDArray g = data(rng, 4, 5, 9);
        INDArray separate = Nd4j.createUninitialized(DataType.FLOAT, 4, 5, 9);
        INDArray inPlace = g.dup();
        double[] scale = doubles(rng, 5, -2, 2);
        switch (kernel) {
            case "relu-backward" -> {
                INDArray y = Nd4j.createUninitialized(DataType.FLOAT, 4, 5, 9);
                NativeOps.relu(x, y);
                ElementKernels.reluBackward(Buf.of(y), Buf.of(g), Buf.of(separate));
                ElementKernels.reluBackward(Buf.of(y), Buf.of(inPlace), Buf.of(inPlace));
            }
            case "add" -> {
                ElementKernels.add(Buf.of(g), Buf.of(x), Buf.of(separate));
                ElementKernels.add(Buf.of(inPlace), Buf.of(x), Buf.of(inPlace));
            }
            default -> {
                ChannelKernels.affine(Buf.of(g), Buf.of(separate), 4, 5, 9, scale, scale);
                ChannelKernels.affine(Buf.of(inPlace), Buf.of(inPlace), 4, 5, 9, scale, scale);
            }
        }
        assertSameBits(separate, inPlace, kernel);
    }
}
