package io.purifier.engine.autograd;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every tape operation's gradient against central differences (double precision), and the losses' values. */
class TapeTest {

    @BeforeAll
    static void doubles() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static INDArray random(long seed, double lo, double hi, long... shape) {
        Random r = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, lo + (hi - lo) * r.nextDouble());
        }
        return a;
    }

    /** Checks d(sum(w * f(a, b)))/da and /db against central differences, w a fixed random weight. */
    private static void check(BiFunction<Tape, Var[], Var> f, INDArray a, INDArray b) {
        INDArray[] inputs = b == null ? new INDArray[]{a} : new INDArray[]{a, b};
        Tape t = new Tape();
        Var[] vars = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            vars[i] = t.leaf(inputs[i]);
        }
        Var out = f.apply(t, vars);
        INDArray w = random(99, -1, 1, out.shape());
        t.backward(out.mul(t.constant(w)).sum());
        for (int k = 0; k < inputs.length; k++) {
            INDArray x = inputs[k];
            for (long i = 0; i < x.length(); i++) {
                double orig = x.getDouble(i);
                x.putScalar(i, orig + 1e-6);
                double up = value(f, inputs, w);
                x.putScalar(i, orig - 1e-6);
                double down = value(f, inputs, w);
                x.putScalar(i, orig);
                assertEquals((up - down) / 2e-6, vars[k].grad().getDouble(i), 1e-6, "input " + k + " element " + i);
            }
        }
        INDArray outValue = out.value();
        INDArray grad0 = vars[0].grad();
        t.close();
        assertTrue(outValue.wasClosed(), "close frees the operation's value");
        assertTrue(grad0.wasClosed(), "close frees the gradients");
        for (INDArray x : inputs) {
            assertFalse(x.wasClosed(), "the leaves stay their owner's");
        }
        assertFalse(w.wasClosed(), "the constants stay their owner's");
    }

    private static double value(BiFunction<Tape, Var[], Var> f, INDArray[] inputs, INDArray w) {
        try (Tape t = new Tape()) {
            Var[] vars = new Var[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                vars[i] = t.constant(inputs[i]);
            }
            return f.apply(t, vars).mul(t.constant(w)).sum().scalar();
        }
    }

    @Test
    void arithmetic_with_broadcasting() {
        INDArray a = random(1, -1, 1, 3, 4);
        INDArray col = random(2, 0.5, 2, 3, 1);
        check((t, v) -> v[0].add(v[1]), a, col);
        check((t, v) -> v[0].sub(v[1]), a, col);
        check((t, v) -> v[0].mul(v[1]), a, col);
        check((t, v) -> v[0].div(v[1]), a, col);
        check((t, v) -> v[0].mul(v[1]), a, random(3, -1, 1, 4));
        check((t, v) -> v[0].mul(2.5).add(-1.0).neg(), a, null);
    }

    @Test
    void element_functions() {
        INDArray pos = random(4, 0.2, 2, 2, 3);
        INDArray any = random(5, -2, 2, 2, 3);
        check((t, v) -> t.exp(v[0]), any, null);
        check((t, v) -> t.log(v[0]), pos, null);
        check((t, v) -> t.sqrt(v[0]), pos, null);
        check((t, v) -> t.square(v[0]), any, null);
        check((t, v) -> t.pow(v[0], 1.7), pos, null);
        check((t, v) -> t.abs(v[0]), any, null);
        check((t, v) -> t.relu(v[0]), any, null);
        check((t, v) -> t.sigmoid(v[0]), any, null);
        check((t, v) -> t.tanh(v[0]), any, null);
        check((t, v) -> t.clamp(v[0], -0.5, 0.7), any, null);
    }

    @Test
    void reductions_softmax_and_matrix_product() {
        INDArray z = random(6, -3, 3, 4, 5);
        check((t, v) -> v[0].sum(), z, null);
        check((t, v) -> v[0].mean(), z, null);
        check((t, v) -> v[0].sum(1), z, null);
        check((t, v) -> v[0].mean(0), z, null);
        check((t, v) -> t.logSoftmax(v[0]), z, null);
        check((t, v) -> t.softmax(v[0]), z, null);
        check((t, v) -> t.matmul(v[0], v[1]), z, random(7, -1, 1, 5, 2));
        check((t, v) -> t.reshape(v[0], 2, 10), z, null);
    }

    @Test
    void cross_entropy_values_and_gradients() {
        INDArray z = Nd4j.create(new double[][]{{0, Math.log(2), Math.log(5)}, {Math.log(3), 0, 0}});
        Tape t = new Tape();
        Var logits = t.leaf(z);
        Var ce = t.crossEntropy(logits, new int[]{0, 1});
        assertEquals((Math.log(8) + Math.log(5)) / 2, ce.scalar(), 1e-12);
        check((tp, v) -> tp.crossEntropy(v[0], new int[]{2, 0, 1, 1}), random(8, -2, 2, 4, 3), null);
        INDArray targets = Nd4j.create(new double[][]{{0.2, 0.3, 0.5}, {1, 0, 0}, {0, 0.5, 0.5}, {0.1, 0.1, 0.8}});
        check((tp, v) -> tp.softCrossEntropy(v[0], targets), random(9, -2, 2, 4, 3), null);
        assertThrows(IllegalArgumentException.class, () -> t.crossEntropy(logits, new int[]{0, 3}));
    }

    @Test
    void distillation_equals_the_kl_divergence_and_is_zero_for_the_teacher_itself() {
        INDArray teacher = random(10, -3, 3, 3, 4);
        INDArray student = random(11, -3, 3, 3, 4);
        Tape t = new Tape();
        double kl = Losses.distillation(t.leaf(student), teacher, 2.0, true).scalar();
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            double[] p = softmaxRow(teacher, i, 2.0);
            double[] q = softmaxRow(student, i, 2.0);
            for (int j = 0; j < 4; j++) {
                expected += p[j] * (Math.log(p[j]) - Math.log(q[j]));
            }
        }
        assertEquals(expected / 3 * 4, kl, 1e-10);
        assertEquals(0.0, Losses.distillation(new Tape().leaf(teacher.dup()), teacher, 3.0, false).scalar(), 1e-12);
        check((tp, v) -> Losses.distillation(v[0], teacher, 2.0, true), student, null);
    }

    private static double[] softmaxRow(INDArray z, int row, double t) {
        double[] out = new double[(int) z.size(1)];
        double sum = 0;
        for (int j = 0; j < out.length; j++) {
            out[j] = Math.exp(z.getDouble(row, j) / t);
            sum += out[j];
        }
        for (int j = 0; j < out.length; j++) {
            out[j] /= sum;
        }
        return out;
    }

    @Test
    void constants_get_no_gradient_and_backward_needs_a_scalar() {
        Tape t = new Tape();
        Var c = t.constant(Nd4j.ones(DataType.DOUBLE, 2));
        Var x = t.leaf(Nd4j.create(new double[]{1, 2}));
        Var y = x.mul(c).sum();
        t.backward(y);
        assertNull(c.grad());
        assertArrayEquals(new double[]{1, 1}, x.grad().toDoubleVector(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> t.backward(x));
    }

    @Test
    void a_closed_tape_frees_its_arrays_once_and_refuses_to_record() {
        Tape t = new Tape();
        INDArray features = random(12, -1, 1, 2, 3, 4, 4);
        INDArray fixed = random(13, -1, 1, 2, 3, 4, 4);
        Var x = t.leaf(features);
        Var loss = t.square(x).sum(1).sub(t.square(t.constant(fixed)).sum(1)).mean();
        t.backward(loss);
        INDArray grad = x.grad();
        assertTrue(t.ownedArrays() >= 6, "values, gradients and temporaries: " + t.ownedArrays());
        t.close();
        assertTrue(t.isClosed());
        assertTrue(grad.wasClosed());
        assertNull(x.grad(), "no gradient is handed out after close");
        assertEquals(0, t.ownedArrays());
        assertFalse(features.wasClosed());
        assertFalse(fixed.wasClosed());
        t.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.square(x));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> t.backward(loss));
        IllegalStateException late = assertThrows(IllegalStateException.class, loss::scalar);
        assertTrue(late.getMessage().contains("inside the objective"), late.getMessage());
        assertThrows(IllegalStateException.class, x::value);
        assertEquals(2 * 3 * 4 * 4, features.length(), "the leaf is still readable");
        assertEquals(fixed.getDouble(0), fixed.dup().getDouble(0), 0.0);
    }
}
