package io.purifier.defense.nad;

import io.purifier.engine.autograd.Tape;
import io.purifier.engine.autograd.Var;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AttentionMapsTest {

    /** One image, two channels of 2x2: channel 0 = [[1, 0], [0, 2]], channel 1 = [[0, -1], [1, 0]]. */
    private static INDArray features() {
        return Nd4j.create(new double[]{1, 0, 0, 2, 0, -1, 1, 0}, new long[]{1, 2, 2, 2}, 'c');
    }

    @Test
    void map_is_the_channel_sum_of_squares_divided_by_its_l2_norm_over_positions() {
        Tape t = new Tape();
        Var map = AttentionMaps.map(t, t.constant(features()), 2.0);
        // A = [[1, 1], [1, 4]], ||A|| = sqrt(19)
        double norm = Math.sqrt(19) + 1e-6;
        assertArrayEquals(new long[]{1, 1, 2, 2}, map.shape());
        assertArrayEquals(new double[]{1 / norm, 1 / norm, 1 / norm, 4 / norm}, map.value().data().asDouble(), 1e-15);
    }

    @Test
    void other_powers_use_absolute_values() {
        Tape t = new Tape();
        Var map = AttentionMaps.map(t, t.constant(features()), 3.0);
        // A = |f0|^3 + |f1|^3 = [[1, 1], [1, 8]], ||A|| = sqrt(67)
        double norm = Math.sqrt(67) + 1e-6;
        assertArrayEquals(new double[]{1 / norm, 1 / norm, 1 / norm, 8 / norm}, map.value().data().asDouble(), 1e-15);
    }

    @Test
    void loss_is_the_mean_squared_difference_of_the_maps() {
        Tape t = new Tape();
        INDArray teacher = Nd4j.create(new double[]{0, 0, 0, 3, 1, 0, 0, 0}, new long[]{1, 2, 2, 2}, 'c');
        // teacher A = [[1, 0], [0, 9]], ||A|| = sqrt(82)
        double ns = Math.sqrt(19) + 1e-6;
        double nt = Math.sqrt(82) + 1e-6;
        double[] s = {1 / ns, 1 / ns, 1 / ns, 4 / ns};
        double[] tm = {1 / nt, 0, 0, 9 / nt};
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            expected += (s[i] - tm[i]) * (s[i] - tm[i]) / 4;
        }
        assertEquals(expected, AttentionMaps.loss(t, t.leaf(features()), teacher, 2.0).scalar(), 1e-15);
    }

    @Test
    void two_dimensional_features_give_maps_of_one_and_no_loss_against_any_teacher() {
        Tape t = new Tape();
        INDArray student = Nd4j.create(new double[]{1, 2, 3, -4, 0.5, 6}, new long[]{2, 3}, 'c');
        INDArray teacher = Nd4j.create(new double[]{7, 0, 1, 2, 2, 2}, new long[]{2, 3}, 'c');
        Var map = AttentionMaps.map(t, t.constant(student), 2.0);
        assertArrayEquals(new long[]{2, 1, 1, 1}, map.shape());
        assertEquals(14 / (14 + 1e-6), map.value().getDouble(0), 1e-15);
        assertEquals(0.0, AttentionMaps.loss(t, t.leaf(student), teacher, 2.0).scalar(), 1e-12);
    }

    @Test
    void gradient_with_respect_to_the_student_features_matches_central_differences() {
        Random rng = new Random(5);
        double[] s = new double[2 * 3 * 3 * 3];
        double[] te = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextGaussian();
            te[i] = rng.nextGaussian();
        }
        INDArray student = Nd4j.create(s, new long[]{2, 3, 3, 3}, 'c');
        INDArray teacher = Nd4j.create(te, new long[]{2, 3, 3, 3}, 'c');
        for (double p : new double[]{2.0, 3.0}) {
            Tape t = new Tape();
            Var leaf = t.leaf(student);
            Var loss = AttentionMaps.loss(t, leaf, teacher, p);
            t.backward(loss);
            double h = 1e-6;
            for (int i = 0; i < s.length; i += 5) {
                INDArray plus = student.dup();
                plus.putScalar(i, s[i] + h);
                INDArray minus = student.dup();
                minus.putScalar(i, s[i] - h);
                double numeric = (value(plus, teacher, p) - value(minus, teacher, p)) / (2 * h);
                assertEquals(numeric, leaf.grad().getDouble(i), 1e-7 + 1e-5 * Math.abs(numeric), "p " + p + ", element " + i);
            }
        }
        assertEquals(DataType.DOUBLE, student.dataType());
    }

    private static double value(INDArray student, INDArray teacher, double p) {
        Tape t = new Tape();
        return AttentionMaps.loss(t, t.leaf(student), teacher, p).scalar();
    }
}
